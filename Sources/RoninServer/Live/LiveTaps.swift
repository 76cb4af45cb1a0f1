import Foundation

/// The UDP ports on which live detection receives each camera's stream (docs/design/events.md,
/// The live frame path): in `ronin serve`, ports of 127.0.0.1 to which the camera's ffmpeg sends
/// it; in a live worker on another machine, ports of its own to which the server relays it. A
/// camera keeps its port while the process runs, so ffmpeg restarts and live detector restarts
/// meet again; `replace` gives a camera a new one when another program took it.
actor LiveTaps {
    /// The address the ports are on.
    nonisolated let host: String
    private var ports: [UUID: Int] = [:]

    init(host: String = "127.0.0.1") {
        self.host = host
    }

    func port(for camera: UUID) -> Int? {
        if let port = ports[camera] { return port }
        guard let port = Self.freePort(host: host) else { return nil }
        ports[camera] = port
        return port
    }

    /// The port the camera's ffmpeg was last given, without choosing one.
    func existingPort(for camera: UUID) -> Int? {
        ports[camera]
    }

    /// Forgets a camera's port (its listener could not bind it); the next pipeline start gets another.
    func replace(_ camera: UUID) {
        ports[camera] = nil
    }

    /// A UDP port of `host` free now: the kernel's pick for a socket bound to port 0.
    static func freePort(host: String = "127.0.0.1") -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr(host)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

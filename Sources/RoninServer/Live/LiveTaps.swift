import Foundation

/// The UDP ports of 127.0.0.1 on which each camera's ffmpeg sends the stream live detection
/// reads (docs/design/events.md, The live frame path). A camera keeps its port while the server
/// runs, so ffmpeg restarts and live detector restarts meet again; `replace` gives a camera a new
/// one when another program took it.
actor LiveTaps {
    private var ports: [UUID: Int] = [:]

    func port(for camera: UUID) -> Int? {
        if let port = ports[camera] { return port }
        guard let port = Self.freePort() else { return nil }
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

    /// A UDP port of 127.0.0.1 free now: the kernel's pick for a socket bound to port 0.
    static func freePort() -> Int? {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

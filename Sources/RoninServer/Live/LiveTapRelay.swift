import Foundation
import Logging

/// Sends one camera's tap on to a live worker on another machine (docs/design/events.md, Live
/// workers): it takes the camera's tap port of 127.0.0.1, where the camera's ffmpeg sends the
/// stream, and forwards every datagram to the worker's address as it comes. A thread of its own
/// (the tap is a few hundred datagrams a second at most); nothing is buffered, and a datagram the
/// network drops is lost, as on the tap itself. `stop` ends it within half a second.
final class LiveTapRelay: @unchecked Sendable {
    let camera: UUID
    let port: Int
    let destination: String
    private let socketDescriptor: Int32
    private let target: sockaddr_in
    private let lock = NSLock()
    private var stopped = false
    private var thread: Thread?
    private var datagrams = 0

    /// Datagrams forwarded so far.
    var forwarded: Int { lock.withLock { datagrams } }

    /// Binds the tap port and resolves `destination` (`host:port`); throws when either fails.
    init(camera: UUID, port: Int, destination: String) throws {
        self.camera = camera
        self.port = port
        self.destination = destination
        guard let target = Self.resolve(destination) else { throw LiveRelayError("cannot resolve the live worker's address \(destination)") }
        self.target = target
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw LiveRelayError("no socket for the tap relay") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard bound else {
            close(descriptor)
            throw LiveRelayError("the tap port \(port) is taken")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: Int32 = 1 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        socketDescriptor = descriptor
    }

    func start() {
        let thread = Thread { [self] in forward() }
        thread.name = "live-relay"
        lock.withLock { self.thread = thread }
        thread.start()
    }

    func stop() {
        lock.withLock { stopped = true }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func forward() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var target = self.target
        while !isStopped {
            let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { continue }
            _ = buffer.withUnsafeBytes { bytes in
                withUnsafePointer(to: &target) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(socketDescriptor, bytes.baseAddress, count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            lock.withLock { datagrams += 1 }
        }
        close(socketDescriptor)
    }

    /// `host:port` as an IPv4 socket address.
    static func resolve(_ text: String) -> sockaddr_in? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0 else { return nil }
        let host = String(text[..<colon])
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &found) == 0, let first = found, let raw = first.pointee.ai_addr else { return nil }
        defer { freeaddrinfo(found) }
        var address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        address.sin_port = port.bigEndian
        return address
    }
}

/// Why a tap relay could not start.
struct LiveRelayError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

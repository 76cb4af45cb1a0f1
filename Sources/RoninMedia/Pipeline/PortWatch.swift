import Foundation

/// Checks whether a TCP port accepts connections, with a short timeout, without sending
/// anything. Used to cut a reconnect wait short as soon as a camera is back.
public enum PortWatch {
    /// True when `host:port` accepts a TCP connection within `timeout` seconds.
    public static func isOpen(host: String, port: Int, timeout: Double = 1) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            if connect(info.pointee, timeout: timeout) { return true }
            entry = info.pointee.ai_next
        }
        return false
    }

    private static func connect(_ info: addrinfo, timeout: Double) -> Bool {
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let result = Glibc.connect(fd, info.ai_addr, info.ai_addrlen)
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }
}

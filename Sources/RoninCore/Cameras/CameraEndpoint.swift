import Foundation

/// Where and how to reach a camera's RTSP stream, validated.
///
/// Invariants: `host` is a DNS name, IPv4 or IPv6 literal (no scheme, path, user info or
/// spaces); `port` is 1...65535; stream paths start with `/` and contain no whitespace, control
/// characters or `..` segments; credentials are percent-encoded when put into a URL.
public struct CameraEndpoint: Sendable, Equatable {
    /// RTSP lower transport.
    public enum Transport: String, Sendable, CaseIterable, Codable {
        case tcp, udp
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String
    public var streamPath: String
    public var transport: Transport

    /// A field that failed validation, with a message for the user.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "\(field): \(message)" }
    }

    public init(host: String, port: Int = 554, username: String = "", password: String = "",
                streamPath: String = "/", transport: Transport = .tcp) throws(Problem) {
        self.host = try Self.validHost(host)
        self.port = try Self.validPort(port)
        self.username = try Self.validCredential(username, field: "username")
        self.password = try Self.validCredential(password, field: "password")
        self.streamPath = try Self.validPath(streamPath, field: "stream_path")
        self.transport = transport
    }

    /// The stream URL with credentials, for ffmpeg only: never log it unredacted.
    public func url(path: String? = nil) -> String {
        var authority = ""
        if !username.isEmpty || !password.isEmpty {
            authority = Self.percentEncode(username)
            if !password.isEmpty { authority += ":" + Self.percentEncode(password) }
            authority += "@"
        }
        return "rtsp://\(authority)\(hostForURL):\(port)\(path ?? streamPath)"
    }

    /// The stream URL without credentials, safe to show and log.
    public func displayURL(path: String? = nil) -> String {
        "rtsp://\(hostForURL):\(port)\(path ?? streamPath)"
    }

    private var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    static func percentEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    public static func validHost(_ raw: String) throws(Problem) -> String {
        var host = raw.trimmingCharacters(in: .whitespaces)
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw Problem(field: "host", message: "host must not be empty") }
        guard host.utf8.count <= 253 else { throw Problem(field: "host", message: "host is too long") }
        if host.contains(":") {
            // IPv6 literal: hex digits, colons, dots (embedded IPv4) and a zone id after %.
            let allowed = CharacterSet(charactersIn: "0123456789abcdefABCDEF:.%")
            guard host.unicodeScalars.allSatisfy(allowed.contains), host.filter({ $0 == ":" }).count >= 2 else {
                throw Problem(field: "host", message: "host must be a host name or IP address, without scheme, port or path")
            }
            return host
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_")
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard host.unicodeScalars.allSatisfy(allowed.contains),
              labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 && !$0.hasPrefix("-") && !$0.hasSuffix("-") })
        else {
            throw Problem(field: "host", message: "host must be a host name or IP address, without scheme, port or path")
        }
        return host
    }

    public static func validPort(_ port: Int) throws(Problem) -> Int {
        guard (1...65535).contains(port) else { throw Problem(field: "port", message: "port must be between 1 and 65535") }
        return port
    }

    static func validCredential(_ value: String, field: String) throws(Problem) -> String {
        guard value.utf8.count <= 256 else { throw Problem(field: field, message: "\(field) is too long") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem(field: field, message: "\(field) must not contain control characters")
        }
        return value
    }

    /// A stream path: `/` followed by URL path characters and an optional query
    /// (many cameras use `/cam/realmonitor?channel=1&subtype=0`).
    public static func validPath(_ raw: String, field: String) throws(Problem) -> String {
        var path = raw.trimmingCharacters(in: .whitespaces)
        if path.isEmpty { path = "/" }
        if !path.hasPrefix("/") { path = "/" + path }
        guard path.utf8.count <= 512 else { throw Problem(field: field, message: "\(field) is too long") }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%")
        guard path.unicodeScalars.allSatisfy(allowed.contains) else {
            throw Problem(field: field, message: "\(field) may contain only URL path characters (no spaces or control characters)")
        }
        let segments = path.split(separator: "?", maxSplits: 1)[0].split(separator: "/")
        guard !segments.contains("..") else { throw Problem(field: field, message: "\(field) must not contain '..'") }
        return path
    }
}

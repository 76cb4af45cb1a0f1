import Foundation

/// Who holds a lease: `host:pid:random`. The host and pid let a pool that starts on the same
/// machine tell the leases of processes that are gone (a crash) from those of live ones; the
/// random part tells apart processes that reused a pid.
struct WorkerIdentity: Sendable, Equatable, CustomStringConvertible {
    let host: String
    let pid: Int32
    let nonce: String

    /// This process, with a fresh nonce.
    static func current() -> WorkerIdentity {
        WorkerIdentity(host: hostName(), pid: getpid(), nonce: String(UUID().uuidString.prefix(8)).lowercased())
    }

    init(host: String, pid: Int32, nonce: String) {
        self.host = host
        self.pid = pid
        self.nonce = nonce
    }

    init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]) else { return nil }
        host = parts.dropLast(2).joined(separator: ":")
        self.pid = pid
        nonce = String(parts[parts.count - 1])
    }

    var description: String { "\(host):\(pid):\(nonce)" }

    /// The machine's name (no colons, so the identity parses back).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(cString: buffer).replacingOccurrences(of: ":", with: "-")
        return name.isEmpty ? "localhost" : name
    }

    /// Whether a process with this pid runs on this machine (a zombie counts as gone).
    static func processIsAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}

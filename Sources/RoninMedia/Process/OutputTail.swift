import Foundation

/// Keeps the last lines a child process wrote to a pipe, for error reports. Thread-safe: the
/// pipe's reader thread appends while the supervisor reads.
final class OutputTail: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = ""
    private let capacity: Int

    /// Warnings ffmpeg repeats on healthy streams; they would only hide the real error.
    static let noise = ["Timestamps are unset in a packet", "Non-monotonous DTS", "Too many bits", "Queue input is backward in time"]

    init(capacity: Int = 20) {
        self.capacity = capacity
    }

    func attach(to pipe: Pipe) {
        pipe.forwardText { [weak self] in self?.append($0) }
    }

    func append(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        partial += text
        var parts = partial.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        partial = parts.removeLast()
        lines += parts.filter { line in
            !line.trimmingCharacters(in: .whitespaces).isEmpty && !Self.noise.contains { line.contains($0) }
        }
        if lines.count > capacity { lines.removeFirst(lines.count - capacity) }
    }

    var lastLines: [String] {
        lock.lock(); defer { lock.unlock() }
        return lines + (partial.isEmpty ? [] : [partial])
    }
}

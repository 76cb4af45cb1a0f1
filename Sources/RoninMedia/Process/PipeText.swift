import Foundation

extension Pipe {
    /// Hands everything a child writes to this pipe to `receive`, as text, on the pipe's reader
    /// thread, until the child closes its end.
    func forwardText(to receive: @escaping @Sendable (String) -> Void) {
        fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            receive(String(decoding: data, as: UTF8.self))
        }
    }
}

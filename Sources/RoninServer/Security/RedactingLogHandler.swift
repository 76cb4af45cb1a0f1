import Foundation
import Logging
import RoninCore

/// A log handler that passes every message and metadata value through `SecretRedactor`
/// before another handler writes it, so no code path can log a camera password or key.
public struct RedactingLogHandler: LogHandler {
    private var inner: any LogHandler
    private let redactor: SecretRedactor

    public init(wrapping inner: any LogHandler, redactor: SecretRedactor = .shared) {
        self.inner = inner
        self.redactor = redactor
    }

    public var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
    }

    public var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        let cleanMetadata = metadata?.mapValues { Logger.MetadataValue.string(redactor.redact($0.description)) }
        inner.log(level: level, message: "\(redactor.redact(message.description))", metadata: cleanMetadata,
                  source: source, file: file, function: function, line: line)
    }

    /// Sets up swift-log for the process: standard error, redacted, at `level`.
    public static func bootstrap(level: String) {
        let parsed = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(wrapping: StreamLogHandler.standardError(label: label))
            handler.logLevel = parsed
            return handler
        }
    }
}

import Foundation
import RoninCore

/// An S3 operation that failed: which operation, on which key, after how many attempts, and
/// why (the HTTP status and S3's error code, a network failure, a checksum that did not match).
///
/// Invariant: the text of an `S3Error` never holds a credential or a signature. Only S3's
/// `Code` and `Message` are kept from an error answer (never `StringToSign`, `CanonicalRequest`
/// or `SignatureProvided`), and every message passes through the secret redactor.
struct S3Error: Error, CustomStringConvertible, Sendable {
    enum Operation: String, Sendable {
        case putObject = "PutObject"
        case createMultipartUpload = "CreateMultipartUpload"
        case uploadPart = "UploadPart"
        case completeMultipartUpload = "CompleteMultipartUpload"
        case abortMultipartUpload = "AbortMultipartUpload"
        case headObject = "HeadObject"
        case getObject = "GetObject"
        case deleteObject = "DeleteObject"
        case listObjects = "ListObjectsV2"
        case createBucket = "CreateBucket"
        case presignGetObject = "PresignGetObject"
    }

    enum Kind: Sendable, Equatable {
        /// S3 answered with a status outside 2xx; `code` is S3's error code when the answer had one.
        case http(status: Int, code: String?)
        /// The request did not get an answer: connection refused or reset, timeout, DNS.
        case network
        /// The bytes stored or read do not match their SHA-256 or size.
        case integrity
        /// The local file could not be read or written.
        case localFile
        /// The arguments cannot make a valid request (empty key, bad range, bad configuration).
        case invalidRequest
        /// S3 answered 2xx with something this client cannot read.
        case invalidResponse
    }

    let operation: Operation
    let key: String?
    let kind: Kind
    let message: String
    let attempts: Int

    init(_ operation: Operation, key: String?, kind: Kind, message: String, attempts: Int = 1) {
        self.operation = operation
        self.key = key
        self.kind = kind
        self.message = SecretRedactor.shared.redact(message)
        self.attempts = attempts
    }

    var status: Int? {
        if case .http(let status, _) = kind { return status }
        return nil
    }

    var code: String? {
        if case .http(_, let code) = kind { return code }
        return nil
    }

    func after(attempts: Int) -> S3Error {
        S3Error(operation, key: key, kind: kind, message: message, attempts: attempts)
    }

    var description: String {
        var text = "S3 \(operation.rawValue)"
        if let key { text += " of '\(key)'" }
        text += " failed"
        switch kind {
        case .http(let status, let code): text += ": HTTP \(status)" + (code.map { " \($0)" } ?? "")
        case .network: text += ": network error"
        case .integrity: text += ": integrity check failed"
        case .localFile: text += ": local file error"
        case .invalidRequest: text += ": invalid request"
        case .invalidResponse: text += ": unreadable answer"
        }
        if !message.isEmpty { text += ": " + message }
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        return text
    }
}

/// When and how soon a failed S3 request is tried again: network failures and 5xx answers
/// (500 InternalError, 503 SlowDown, ...) are retried with exponential backoff; 4xx answers,
/// integrity failures and local-file errors are not, since repeating them cannot help.
struct S3RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 means no retry).
    var maxAttempts = 4
    var initialDelay: Duration = .milliseconds(250)
    var maxDelay: Duration = .seconds(8)

    func shouldRetry(_ kind: S3Error.Kind) -> Bool {
        switch kind {
        case .network: return true
        case .http(let status, let code):
            // A 2xx whose body reports a failure (CompleteMultipartUpload can) counts by its code.
            return status >= 500 || (status < 400 && code.map(Self.retryableCodes.contains) == true)
        case .integrity, .localFile, .invalidRequest, .invalidResponse: return false
        }
    }

    /// The pause before attempt `attempt` (2 for the first retry): the initial delay doubled
    /// for each earlier retry, capped at `maxDelay`, of which the upper half is random (jitter,
    /// so that many clients slowed down together do not come back together).
    /// S3's error codes for a failure on its side, that a later attempt may not meet.
    static let retryableCodes: Set<String> = ["InternalError", "SlowDown", "ServiceUnavailable"]

    func delay(beforeAttempt attempt: Int) -> Duration {
        let doublings = max(0, min(attempt - 2, 30))
        var base = initialDelay
        for _ in 0..<doublings where base < maxDelay { base = base * 2 }
        base = min(base, maxDelay)
        let half = base / 2
        let jitter = Double.random(in: 0...1)
        return half + half * jitter
    }
}

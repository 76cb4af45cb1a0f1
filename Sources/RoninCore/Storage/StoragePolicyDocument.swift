import Foundation

/// Storage policies as edited in the UI and stored in the database (`storage_policies`): the
/// whole installation's (`global`) or one camera's. Every value is optional (missing or null
/// inherits: camera ← global ← environment) and kept as the user wrote it (`7d`, `0.5`), so
/// it reads back the same; `apply` turns the documents into a `StoragePolicy`.
public struct StoragePolicyDocument: Sendable, Equatable, Codable {
    public var retention_max_age: String?
    public var retention_max_gb: String?
    public var hot_max_age: String?
    public var hot_max_gb: String?
    public var hot_min_age: String?
    public var warm_max_age: String?
    public var warm_max_gb: String?
    public var min_free_gb: String?
    /// A camera's storage priority, 0 to 100 (50 when unset): when only locked footage is left
    /// and a disk still runs short, the cameras of lowest priority stop recording first.
    public var priority: Int?

    public init() {}

    public static let defaultPriority = 50

    public static let globalKeys = ["retention_max_age", "retention_max_gb", "hot_max_age", "hot_max_gb", "hot_min_age", "warm_max_age",
                                    "warm_max_gb", "min_free_gb"]
    /// What a camera may set for itself.
    public static let cameraKeys = ["retention_max_age", "retention_max_gb", "priority"]

    /// A value that cannot be used, naming its field.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let field: String
        public let message: String
        public var description: String { "\(field): \(message)" }
    }

    /// Reads a document from decoded JSON values (strings or numbers; null inherits), refusing
    /// unknown keys and values that do not parse. `keys` says which keys the scope allows.
    public static func parse(_ values: [String: Any?], keys: [String]) throws(Invalid) -> StoragePolicyDocument {
        if let unknown = values.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Invalid(field: unknown, message: "is not a storage setting here; known: \(keys.joined(separator: ", "))")
        }
        var document = StoragePolicyDocument()
        for key in keys {
            guard let present = values[key], let value = present else { continue }
            if key == "priority" {
                guard let number = value as? Int, (0...100).contains(number) else {
                    throw Invalid(field: key, message: "expected a whole number from 0 to 100")
                }
                document.priority = number
                continue
            }
            let text: String
            switch value {
            case let string as String: text = string.trimmingCharacters(in: .whitespaces)
            case let number as Double: text = String(number)
            case let number as Int: text = String(number)
            default: throw Invalid(field: key, message: "expected a string such as \"7d\" or a number of GB")
            }
            if text.isEmpty { continue }
            do {
                if key.hasSuffix("_gb") { _ = try StorageQuantity.bytes(text) } else { _ = try StorageQuantity.seconds(text) }
            } catch {
                throw Invalid(field: key, message: error.description)
            }
            document[key] = text
        }
        return document
    }

    subscript(key: String) -> String? {
        get {
            switch key {
            case "retention_max_age": retention_max_age
            case "retention_max_gb": retention_max_gb
            case "hot_max_age": hot_max_age
            case "hot_max_gb": hot_max_gb
            case "hot_min_age": hot_min_age
            case "warm_max_age": warm_max_age
            case "warm_max_gb": warm_max_gb
            case "min_free_gb": min_free_gb
            default: nil
            }
        }
        set {
            switch key {
            case "retention_max_age": retention_max_age = newValue
            case "retention_max_gb": retention_max_gb = newValue
            case "hot_max_age": hot_max_age = newValue
            case "hot_max_gb": hot_max_gb = newValue
            case "hot_min_age": hot_min_age = newValue
            case "warm_max_age": warm_max_age = newValue
            case "warm_max_gb": warm_max_gb = newValue
            case "min_free_gb": min_free_gb = newValue
            default: break
            }
        }
    }

    /// The policy in force: the environment's, with the global document's values over it and
    /// each camera's retention over that.
    public static func apply(global: StoragePolicyDocument, cameras: [UUID: StoragePolicyDocument], to base: StoragePolicy) -> StoragePolicy {
        var policy = base
        func seconds(_ text: String?) -> TimeInterval? { text.flatMap { try? StorageQuantity.seconds($0) } }
        func bytes(_ text: String?) -> Int64? { text.flatMap { try? StorageQuantity.bytes($0) } }
        policy.retention.maxAge = seconds(global.retention_max_age) ?? policy.retention.maxAge
        policy.retention.maxBytes = bytes(global.retention_max_gb) ?? policy.retention.maxBytes
        policy.hot.maxAge = seconds(global.hot_max_age) ?? policy.hot.maxAge
        policy.hot.maxBytes = bytes(global.hot_max_gb) ?? policy.hot.maxBytes
        policy.hotMinAge = seconds(global.hot_min_age) ?? policy.hotMinAge
        policy.warm.maxAge = seconds(global.warm_max_age) ?? policy.warm.maxAge
        policy.warm.maxBytes = bytes(global.warm_max_gb) ?? policy.warm.maxBytes
        policy.minFreeBytes = bytes(global.min_free_gb) ?? policy.minFreeBytes
        for (camera, document) in cameras {
            let own = StorageLimits(maxAge: seconds(document.retention_max_age), maxBytes: bytes(document.retention_max_gb))
            if !own.isEmpty { policy.cameraRetention[camera] = own }
        }
        return policy
    }
}

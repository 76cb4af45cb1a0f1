import Foundation
import RoninCore
import Testing

@Suite(.timeLimit(.minutes(2))) struct StoragePolicyDocumentTests {
    @Test func valuesAreKeptAsWrittenAndNullInherits() throws {
        let document = try StoragePolicyDocument.parse(["retention_max_age": "7d", "hot_max_gb": 0.5, "warm_max_age": nil, "min_free_gb": 2],
                                                       keys: StoragePolicyDocument.globalKeys)
        #expect(document.retention_max_age == "7d" && document.hot_max_gb == "0.5" && document.warm_max_age == nil && document.min_free_gb == "2")
    }

    @Test func badValuesAndUnknownKeysNameTheirField() {
        let cases: [([String: Any?], String)] = [
            (["retention_max_age": "forever"], "retention_max_age"), (["hot_max_gb": -1], "hot_max_gb"), (["hot_max_age": "12"], "hot_max_age"),
            (["colour": "blue"], "colour"), (["warm_max_gb": true], "warm_max_gb"),
        ]
        for (values, field) in cases {
            do {
                _ = try StoragePolicyDocument.parse(values, keys: StoragePolicyDocument.globalKeys)
                Issue.record("accepted \(values)")
            } catch {
                #expect(error.field == field)
            }
        }
        #expect(throws: StoragePolicyDocument.Invalid.self) { try StoragePolicyDocument.parse(["hot_max_age": "1d"], keys: StoragePolicyDocument.cameraKeys) }
    }

    @Test func theGlobalDocumentOverridesTheEnvironmentAndCamerasTheirOwnRetention() throws {
        let camera = UUID()
        let base = StoragePolicy(hot: .init(maxAge: 86_400), warmConfigured: true, retention: .init(maxAge: 30 * 86_400, maxBytes: 5_000_000_000))
        var global = StoragePolicyDocument()
        global.retention_max_age = "14d"
        global.warm_max_gb = "0.25"
        var own = StoragePolicyDocument()
        own.retention_max_gb = "1"
        let policy = StoragePolicyDocument.apply(global: global, cameras: [camera: own], to: base)
        #expect(policy.retention == StorageLimits(maxAge: 14 * 86_400, maxBytes: 5_000_000_000))
        #expect(policy.hot.maxAge == 86_400 && policy.warm.maxBytes == 250_000_000)
        #expect(policy.retention(of: camera) == StorageLimits(maxAge: 14 * 86_400, maxBytes: 1_000_000_000))
        #expect(policy.retention(of: UUID()) == policy.retention)
    }
}

@Suite(.timeLimit(.minutes(2))) struct CameraStoragePriorityTests {
    @Test func aCameraSetsItsPriorityAsAWholeNumberUpToAHundred() throws {
        #expect(try StoragePolicyDocument.parse(["priority": 10], keys: StoragePolicyDocument.cameraKeys).priority == 10)
        for bad: Any in [101, -1, "high", 2.5] {
            #expect(throws: StoragePolicyDocument.Invalid.self) { try StoragePolicyDocument.parse(["priority": bad], keys: StoragePolicyDocument.cameraKeys) }
        }
    }
}

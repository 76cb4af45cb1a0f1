import Foundation
import Testing
@testable import RoninCore

/// Debounce, per-camera hourly cap, webhook signatures and live coverage.
@Suite(.timeLimit(.minutes(2))) struct NotificationPolicyTests {
    let camera = UUID()
    let other = UUID()
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func key(_ className: String = "person", _ kind: ActivityKind = .arrival, camera: UUID? = nil) -> NotificationPolicy.Key {
        .init(camera: camera ?? self.camera, className: className, kind: kind)
    }

    @Test func sameClassIsQuietDuringTheCooldownThenSendsAgain() {
        var policy = NotificationPolicy(cooldown: 60, maxPerHour: 100)
        #expect(policy.decide(key(), at: t0) == .send)
        #expect(policy.decide(key(), at: t0.addingTimeInterval(10)) == .coolingDown(until: t0.addingTimeInterval(60)))
        #expect(policy.decide(key(), at: t0.addingTimeInterval(59.9)) == .coolingDown(until: t0.addingTimeInterval(60)))
        #expect(policy.decide(key(), at: t0.addingTimeInterval(60)) == .send)
    }

    @Test func anotherClassKindOrCameraIsNeverSwallowed() {
        var policy = NotificationPolicy(cooldown: 60, maxPerHour: 100)
        #expect(policy.decide(key(), at: t0) == .send)
        #expect(policy.decide(key("car"), at: t0.addingTimeInterval(1)) == .send)
        #expect(policy.decide(key("person", .stateChange), at: t0.addingTimeInterval(2)) == .send)
        #expect(policy.decide(key("person", .departure), at: t0.addingTimeInterval(3)) == .send)
        #expect(policy.decide(key(camera: other), at: t0.addingTimeInterval(4)) == .send)
        #expect(policy.decide(key(), at: t0.addingTimeInterval(5)) != .send)
    }

    @Test func suppressedEventsDoNotExtendTheCooldown() {
        var policy = NotificationPolicy(cooldown: 60, maxPerHour: 100)
        #expect(policy.decide(key(), at: t0) == .send)
        for second in stride(from: 5.0, to: 60, by: 5) { #expect(policy.decide(key(), at: t0.addingTimeInterval(second)) != .send) }
        #expect(policy.decide(key(), at: t0.addingTimeInterval(61)) == .send)
    }

    @Test func aCameraSendsAtMostItsHourlyCapInAnySlidingHour() {
        var policy = NotificationPolicy(cooldown: 0, maxPerHour: 3)
        #expect(policy.decide(key("person"), at: t0) == .send)
        #expect(policy.decide(key("car"), at: t0.addingTimeInterval(100)) == .send)
        #expect(policy.decide(key("dog"), at: t0.addingTimeInterval(200)) == .send)
        #expect(policy.decide(key("cat"), at: t0.addingTimeInterval(300)) == .hourlyCapReached)
        #expect(policy.decide(key("cat", camera: other), at: t0.addingTimeInterval(300)) == .send)
        #expect(policy.decide(key("cat"), at: t0.addingTimeInterval(3600)) == .send)
    }

    @Test func aCameraOwnCooldownOverridesTheDefault() {
        var policy = NotificationPolicy(cooldown: 60, maxPerHour: 100)
        #expect(policy.decide(key(), at: t0, cooldown: 5) == .send)
        #expect(policy.decide(key(), at: t0.addingTimeInterval(6), cooldown: 5) == .send)
    }

    @Test func memoryStaysBoundedWhateverComes() {
        var policy = NotificationPolicy(cooldown: 30, maxPerHour: 1_000_000)
        for index in 0..<5000 {
            _ = policy.decide(key("class\(index)", camera: UUID()), at: t0.addingTimeInterval(Double(index) * 10))
        }
        #expect(policy.rememberedKeys < 1000)
    }

    @Test func webhookSignaturesVerifyAndRefuseTampering() {
        let body = Data(#"{"type":"event"}"#.utf8)
        let signature = WebhookSignature.sign(body: body, timestamp: 1_800_000_000, secret: "s3cret")
        #expect(signature.hasPrefix("sha256=") && signature.count == 7 + 64)
        #expect(WebhookSignature.verify(signature: signature, body: body, timestamp: 1_800_000_000, secret: "s3cret"))
        #expect(!WebhookSignature.verify(signature: signature, body: body, timestamp: 1_800_000_001, secret: "s3cret"))
        #expect(!WebhookSignature.verify(signature: signature, body: Data(#"{"type":"evil"}"#.utf8), timestamp: 1_800_000_000, secret: "s3cret"))
        #expect(!WebhookSignature.verify(signature: signature, body: body, timestamp: 1_800_000_000, secret: "other"))
        // The same value Python's hmac module gives, as a receiver would compute it.
        #expect(WebhookSignature.sign(body: Data("what do ya want for nothing?".utf8), timestamp: 1_700_000_000, secret: "Jefe")
                == "sha256=1cdd0650c8be1cb0974b1788d458b1e781206cfef59b85faafc582d2e182c57e")
    }

    @Test func historicalEventsInsideALiveWatchAreCovered() {
        let coverage = LiveCoverage(watches: [.init(start: t0, end: t0.addingTimeInterval(600)), .init(start: t0.addingTimeInterval(3600), end: nil)],
                                    margin: 5)
        #expect(coverage.covers(t0.addingTimeInterval(300)))
        #expect(coverage.covers(t0.addingTimeInterval(-4)))
        #expect(!coverage.covers(t0.addingTimeInterval(-6)))
        #expect(!coverage.covers(t0.addingTimeInterval(1000)))
        #expect(coverage.covers(t0.addingTimeInterval(4000), now: t0.addingTimeInterval(5000)))
        #expect(!coverage.covers(t0.addingTimeInterval(6000), now: t0.addingTimeInterval(5000)))
        // An object there before the watch began but leaving during it was reported leaving.
        #expect(coverage.covers(eventStart: t0.addingTimeInterval(-100), end: t0.addingTimeInterval(20)))
        #expect(!coverage.covers(eventStart: t0.addingTimeInterval(700), end: t0.addingTimeInterval(800)))
    }
}

import Foundation
import Testing
@testable import RoninCore

/// The stall watchdog's judgement: steady outputs within the timeout, keyframe-bound ones by
/// the rhythm they have shown, and patience before the first keyframe.
@Suite(.timeLimit(.minutes(2))) struct StallWatchTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test func aQuietCameraWhoseMediaClockAdvancesIsNotStalled() {
        var watch = StallWatch(outputs: ["media": .steady, "recording": .steady, "live": .keyframeBound], timeout: 20, start: start)
        // One fragment a second on disk, a live segment only every 12 s (a long GOP).
        for second in 1...120 {
            watch.observe("media", value: "\(second * 1_000_000)", at: at(Double(second)))
            watch.observe("recording", value: "seg:\(second * 900)", at: at(Double(second)))
            watch.observe("live", value: "\(second / 12)", at: at(Double(second)))
            let verdict = watch.verdict(at: at(Double(second)))
            #expect(verdict.stalledOutput == nil, "second \(second)")
        }
        #expect(watch.verdict(at: at(120)).allStarted)
        #expect(watch.allowance(for: "live") == 24)
    }

    @Test func aFrozenMediaClockStallsAfterTheTimeout() {
        var watch = StallWatch(outputs: ["media": .steady], timeout: 8, start: start)
        watch.observe("media", value: "1", at: at(1))
        watch.observe("media", value: "1", at: at(5))  // the same position again is no progress
        #expect(watch.verdict(at: at(8.5)).stalledOutput == nil)
        let verdict = watch.verdict(at: at(9.5))
        #expect(verdict.stalledOutput == "media")
        #expect(verdict.idleSeconds == 8.5)
    }

    @Test func aRecordingThatStopsGrowingStallsEvenWhileTheStreamFlows() {
        var watch = StallWatch(outputs: ["media": .steady, "recording": .steady], timeout: 10, start: start)
        watch.observe("recording", value: "a:2000", at: at(1))
        for second in 1...12 { watch.observe("media", value: "\(second)", at: at(Double(second))) }
        #expect(watch.verdict(at: at(12)).stalledOutput == "recording")
    }

    @Test func outputsGetPatienceUntilTheFirstKeyframe() {
        var watch = StallWatch(outputs: ["media": .steady, "live": .keyframeBound], timeout: 20, start: start, keyframeBoundCeiling: 60)
        let early = watch.verdict(at: at(45))
        #expect(early.stalledOutput == nil && !early.allStarted)
        #expect(watch.verdict(at: at(61)).stalledOutput == "live")
        watch.observe("media", value: "1", at: at(50))
        watch.observe("live", value: "1", at: at(50))
        #expect(watch.verdict(at: at(69)).stalledOutput == nil)
        #expect(watch.verdict(at: at(71)).stalledOutput == "media")
    }

    @Test func aLivePlaylistMayWaitTwiceItsLongestIntervalUpToTheCeiling() {
        var watch = StallWatch(outputs: ["live": .keyframeBound], timeout: 8, start: start, keyframeBoundCeiling: 30)
        watch.observe("live", value: "1", at: at(2))
        watch.observe("live", value: "2", at: at(4))
        #expect(watch.allowance(for: "live") == 8)
        watch.observe("live", value: "3", at: at(10))
        #expect(watch.allowance(for: "live") == 12)
        watch.observe("live", value: "4", at: at(30))
        #expect(watch.allowance(for: "live") == 30)
        #expect(watch.verdict(at: at(59)).stalledOutput == nil)
        #expect(watch.verdict(at: at(61)).stalledOutput == "live")
    }
}

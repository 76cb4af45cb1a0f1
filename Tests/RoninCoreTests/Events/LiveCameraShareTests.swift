import Foundation
import Testing
@testable import RoninCore

/// How live workers share the cameras: fair shares, takeover of expired leases, hand-over to a
/// worker that joins one camera at a time, and letting go of cameras that no longer want watching.
@Suite(.timeLimit(.minutes(2))) struct LiveCameraShareTests {
    let cameras = (0..<5).map { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", $0))! }

    func holders(_ owners: [Int: String], expired: Set<Int> = []) -> [UUID: LiveCameraShare.Holder] {
        Dictionary(uniqueKeysWithValues: owners.map { (cameras[$0.key], .init(owner: $0.value, expired: expired.contains($0.key))) })
    }

    /// Runs rounds of every worker deciding in turn, applying claims the way the database does
    /// (only a free camera can be claimed); returns who holds what.
    func settle(_ workers: [String], wanted: [UUID], start: [UUID: LiveCameraShare.Holder] = [:], rounds: Int = 10) -> [UUID: String] {
        var held = start
        for _ in 0..<rounds {
            for worker in workers {
                let decision = LiveCameraShare.decide(me: worker, wanted: wanted, holders: held, workers: Set(workers))
                for camera in decision.release { held[camera] = nil }
                for camera in decision.claim where held[camera]?.expired ?? true { held[camera] = .init(owner: worker, expired: false) }
            }
        }
        return held.mapValues(\.owner)
    }

    @Test func aLoneWorkerWatchesEveryCamera() {
        let decision = LiveCameraShare.decide(me: "a", wanted: cameras, holders: [:], workers: [])
        #expect(Set(decision.claim) == Set(cameras) && decision.keep.isEmpty && decision.release.isEmpty)
    }

    @Test func workersSplitTheCamerasFairly() {
        let held = settle(["a", "b"], wanted: cameras)
        #expect(held.count == 5)
        let counts = Dictionary(grouping: held.values, by: { $0 }).mapValues(\.count)
        #expect(counts.values.sorted() == [2, 3])
    }

    @Test func theCamerasOfAWorkerWhoseLeaseRanOutAreTakenOver() {
        let start = holders([0: "a", 1: "a", 2: "b", 3: "b", 4: "b"], expired: [2, 3, 4])
        let decision = LiveCameraShare.decide(me: "a", wanted: cameras, holders: start, workers: ["a"])
        #expect(Set(decision.keep) == [cameras[0], cameras[1]])
        #expect(Set(decision.claim) == [cameras[2], cameras[3], cameras[4]])
    }

    @Test func aLiveHolderKeepsItsCamerasEvenWhenOthersWantMore() {
        let start = holders([0: "a", 1: "a", 2: "a"])
        let decision = LiveCameraShare.decide(me: "b", wanted: Array(cameras.prefix(3)), holders: start, workers: ["a", "b"])
        #expect(decision.claim.isEmpty, "a held camera is never taken while its lease runs")
    }

    @Test func aWorkerThatJoinsGetsCamerasOneAtATime() {
        let start = holders([0: "a", 1: "a", 2: "a", 3: "a", 4: "a"])
        let first = LiveCameraShare.decide(me: "a", wanted: cameras, holders: start, workers: ["a", "b"])
        #expect(first.release.count == 1 && first.keep.count == 4, "one camera handed over per round")
        let held = settle(["a", "b"], wanted: cameras, start: start)
        #expect(Dictionary(grouping: held.values, by: { $0 }).mapValues(\.count).values.sorted() == [2, 3])
    }

    @Test func camerasThatNoLongerWantWatchingAreLetGo() {
        let start = holders([0: "a", 1: "a"])
        let decision = LiveCameraShare.decide(me: "a", wanted: [cameras[1]], holders: start, workers: ["a"])
        #expect(decision.release == [cameras[0]] && decision.keep == [cameras[1]] && decision.claim.isEmpty)
        let none = LiveCameraShare.decide(me: "a", wanted: [], holders: start, workers: ["a"])
        #expect(Set(none.release) == [cameras[0], cameras[1]])
    }

    @Test func aWorkersOwnExpiredCameraCanBeClaimedAgain() {
        let start = holders([0: "a"], expired: [0])
        let decision = LiveCameraShare.decide(me: "a", wanted: [cameras[0]], holders: start, workers: ["a"])
        #expect(decision.claim == [cameras[0]] && decision.keep.isEmpty)
    }
}

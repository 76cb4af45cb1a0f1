import Foundation

/// Which cameras one live worker should watch, when several share the cameras
/// (docs/design/events.md, Live workers): each takes its fair share, ⌈cameras ÷ workers⌉, of the
/// cameras that want live detection. A worker claims cameras nobody holds (never watched, or whose
/// holder's lease ran out: it stopped or died) until it has its share, lets go of cameras that no
/// longer want watching, and gives back one camera per round while it holds more than its share, so
/// a worker that joins gets cameras without every camera changing hands at once.
///
/// The decision is only a wish: the claim itself is one conditional write in the database, so two
/// workers that wish for the same camera cannot both get it.
public struct LiveCameraShare: Sendable, Equatable {
    /// A camera's current holder.
    public struct Holder: Sendable, Equatable {
        public let owner: String
        /// Whether the holder's lease ran out.
        public let expired: Bool

        public init(owner: String, expired: Bool) {
            self.owner = owner
            self.expired = expired
        }
    }

    /// Cameras to try to claim, in order.
    public var claim: [UUID] = []
    /// Cameras this worker holds and should renew.
    public var keep: [UUID] = []
    /// Cameras this worker holds and should let go.
    public var release: [UUID] = []

    public init(claim: [UUID] = [], keep: [UUID] = [], release: [UUID] = []) {
        self.claim = claim
        self.keep = keep
        self.release = release
    }

    /// The cameras `me` should watch: `wanted` are the cameras that want live detection,
    /// `holders` who holds which camera now, `workers` the live workers alive (`me` counts
    /// whether or not it is among them).
    public static func decide(me: String, wanted: [UUID], holders: [UUID: Holder], workers: Set<String>) -> LiveCameraShare {
        let alive = workers.union([me])
        let wantedSet = Set(wanted)
        let share = wanted.isEmpty ? 0 : (wanted.count + alive.count - 1) / alive.count
        var decision = LiveCameraShare()
        let mine = holders.filter { $0.value.owner == me && !$0.value.expired }.keys.sorted { $0.uuidString < $1.uuidString }
        decision.release = mine.filter { !wantedSet.contains($0) }
        var kept = mine.filter { wantedSet.contains($0) }
        if kept.count > share, let extra = kept.last {
            decision.release.append(extra)
            kept.removeLast()
        }
        decision.keep = kept
        guard kept.count < share else { return decision }
        // A camera is free when nobody holds it or its holder's lease ran out. Cameras are tried
        // in an order of this worker's own, so workers that start together mostly wish for
        // different ones.
        let free = wanted.filter { holders[$0]?.expired ?? true }
        decision.claim = Array(free.sorted { order(me, $0) < order(me, $1) }.prefix(share - kept.count))
        return decision
    }

    /// A stable pseudo-random rank of a camera for a worker (FNV-1a over both names).
    static func order(_ worker: String, _ camera: UUID) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(worker.utf8) + [0] + Array(camera.uuidString.utf8) {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

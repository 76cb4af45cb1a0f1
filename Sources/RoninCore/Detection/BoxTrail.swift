import Foundation

/// A bounded sample of one object's boxes for snapshots: the first box, the most confident one
/// and the latest `recentLimit`. Memory stays constant however long the object stays.
struct BoxTrail: Sendable, Equatable {
    let recentLimit: Int
    private(set) var first: TimedBox?
    private(set) var best: TimedBox?
    private(set) var recent: [TimedBox] = []

    init(recentLimit: Int) {
        self.recentLimit = max(1, recentLimit)
    }

    var last: TimedBox? { recent.last }

    mutating func append(_ box: TimedBox) {
        if first == nil { first = box }
        if best.map({ box.confidence > $0.confidence }) ?? true { best = box }
        recent.append(box)
        if recent.count > recentLimit { recent.removeFirst(recent.count - recentLimit) }
    }

    /// The kept boxes in time order, each once.
    var boxes: [TimedBox] {
        var result = recent
        for extra in [best, first].compactMap({ $0 }) where !result.contains(extra) {
            result.append(extra)
        }
        return result.sorted { $0.time < $1.time }
    }
}

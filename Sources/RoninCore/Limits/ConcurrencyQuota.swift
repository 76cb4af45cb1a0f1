/// Counts work that runs for a while (clip exports) against a limit for everyone and a limit
/// per owner (a user), so one user cannot take every slot and the machine never runs more
/// than `total` at once. Pure; the server keeps one in an actor.
public struct ConcurrencyQuota<Owner: Hashable & Sendable>: Sendable {
    /// Why a slot was not given.
    public enum Refusal: Sendable, Equatable {
        /// The owner already runs `perOwner`.
        case ownerFull
        /// Everyone together already runs `total`.
        case full
    }

    public let total: Int
    public let perOwner: Int
    private var running: [Owner: Int] = [:]
    public private(set) var inUse = 0

    public init(total: Int, perOwner: Int) {
        self.total = max(1, total)
        self.perOwner = max(1, min(perOwner, total))
    }

    /// Takes a slot for `owner`, or says why not.
    public mutating func acquire(_ owner: Owner) -> Refusal? {
        if running[owner, default: 0] >= perOwner { return .ownerFull }
        if inUse >= total { return .full }
        running[owner, default: 0] += 1
        inUse += 1
        return nil
    }

    /// Gives back a slot `owner` took.
    public mutating func release(_ owner: Owner) {
        guard let count = running[owner], count > 0 else { return }
        running[owner] = count == 1 ? nil : count - 1
        inUse -= 1
    }

    public func running(for owner: Owner) -> Int { running[owner, default: 0] }
}

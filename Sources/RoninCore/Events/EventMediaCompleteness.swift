import Foundation

/// Whether an event's mosaic or clip, as just made, is the one to keep for good.
///
/// A mosaic or clip made from footage that does not reach as far as it should (the event ended a
/// moment ago and its post-roll is still being recorded, or a panel's moment is not in a file
/// yet) must not be kept and served as immutable: it is served for now and made again. It is
/// final once the footage reaches what it needs, or once `patience` has passed since then
/// without the footage coming (the camera stopped recording: what there is, is all there will
/// be). Nothing made while the event goes on is final.
public struct EventMediaCompleteness: Sendable, Equatable {
    /// How far short of the wanted end footage may stop and still count as reaching it (the last
    /// fragment of the segment being written can be up to a second behind).
    public var tolerance: TimeInterval = 1
    /// How long after the wanted end missing footage is waited for.
    public var patience: TimeInterval = 120

    public init(tolerance: TimeInterval = 1, patience: TimeInterval = 120) {
        self.tolerance = tolerance
        self.patience = patience
    }

    /// `wanted`: the instant the footage should reach (the clip's end: the event's end plus
    /// EVENT_POST_SECONDS; the mosaic's last panel). `reached`: how far the footage used reaches
    /// (nil: it has none of it).
    public func isFinal(eventOver: Bool, wanted: Date, reached: Date?, now: Date) -> Bool {
        guard eventOver else { return false }
        if let reached, reached >= wanted.addingTimeInterval(-tolerance) { return true }
        return now >= wanted.addingTimeInterval(patience)
    }
}

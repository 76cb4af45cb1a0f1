import Foundation

/// A half-open span of time `[start, end)` in UTC.
public struct TimeSpan: Sendable, Equatable, Codable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public var seconds: TimeInterval { end.timeIntervalSince(start) }

    public func overlaps(_ other: TimeSpan) -> Bool { start < other.end && other.start < end }
}

/// A segment's span and the storage tier that holds its footage.
public struct TieredSpan: Sendable, Equatable {
    public var span: TimeSpan
    public var tier: StorageTier

    public init(_ span: TimeSpan, tier: StorageTier) {
        self.span = span
        self.tier = tier
    }
}

/// A stretch of a range whose footage lives in one tier.
public struct TierRun: Sendable, Equatable {
    public var span: TimeSpan
    public var tier: StorageTier

    public init(span: TimeSpan, tier: StorageTier) {
        self.span = span
        self.tier = tier
    }
}

/// Footage without interruption: neighbouring segments merged into one span.
///
/// Invariant: `tiers` is never empty for a range, its runs follow one another without holes or
/// overlaps from `span.start` to `span.end`, and two neighbouring runs never have the same tier.
public struct FootageRange: Sendable, Equatable {
    public var span: TimeSpan
    /// How many segment files the range covers.
    public var recordings: Int
    /// Where the range's footage lives, as consecutive runs of one tier each.
    public var tiers: [TierRun]
}

/// A day's footage as the timeline shows it: ranges, the gaps between them, and the total.
public struct ConsolidatedTimeline: Sendable, Equatable {
    public var ranges: [FootageRange]
    public var gaps: [TimeSpan]
    public var recordedSeconds: TimeInterval

    /// Seconds of footage per tier (only tiers that hold some).
    public var tierSeconds: [StorageTier: TimeInterval] {
        var seconds: [StorageTier: TimeInterval] = [:]
        for run in ranges.flatMap(\.tiers) { seconds[run.tier, default: 0] += run.span.seconds }
        return seconds
    }
}

/// Merges segment spans into the ranges and gaps of one window (a local day).
///
/// Segments are clipped to the window and sorted; two neighbours merge when they overlap or
/// the hole between them is at most `mergeTolerance` (a segment boundary leaves a hole of a
/// fraction of a second). Gaps cover what no range covers from the window's start up to
/// `coveredUntil` (the window's end, or now for today: the future is not a gap).
///
/// Within a range, the tier changes where the first segment of another tier begins: a hole
/// before it (within the tolerance) belongs to the run before, and where segments of two tiers
/// overlap, the earlier run keeps the overlap. A segment wholly inside another of a different
/// tier is not drawn as a run of its own (it would be a sliver that hides the footage around it).
public enum TimelineConsolidator {
    public static let defaultMergeTolerance: TimeInterval = 2

    /// Segments without a tier are taken as hot (where cameras record).
    public static func consolidate(_ segments: [TimeSpan], within window: TimeSpan, coveredUntil: Date? = nil,
                                   mergeTolerance: TimeInterval = defaultMergeTolerance) -> ConsolidatedTimeline {
        consolidate(tiered: segments.map { TieredSpan($0, tier: .hot) }, within: window, coveredUntil: coveredUntil, mergeTolerance: mergeTolerance)
    }

    public static func consolidate(tiered segments: [TieredSpan], within window: TimeSpan, coveredUntil: Date? = nil,
                                   mergeTolerance: TimeInterval = defaultMergeTolerance) -> ConsolidatedTimeline {
        let clipped = segments.compactMap { segment -> TieredSpan? in
            let span = TimeSpan(start: max(segment.span.start, window.start), end: min(segment.span.end, window.end))
            return span.start < span.end ? TieredSpan(span, tier: segment.tier) : nil
        }.sorted { $0.span.start < $1.span.start }

        var ranges: [FootageRange] = []
        for segment in clipped {
            let span = segment.span
            guard var last = ranges.last, span.start.timeIntervalSince(last.span.end) <= mergeTolerance else {
                ranges.append(FootageRange(span: span, recordings: 1, tiers: [TierRun(span: span, tier: segment.tier)]))
                continue
            }
            var run = last.tiers[last.tiers.count - 1]
            if run.tier == segment.tier {
                run.span.end = max(run.span.end, span.end)
                last.tiers[last.tiers.count - 1] = run
            } else if span.end > run.span.end {
                let boundary: Date
                if span.start >= run.span.end {
                    boundary = span.start
                    run.span.end = boundary
                    last.tiers[last.tiers.count - 1] = run
                } else {
                    boundary = run.span.end
                }
                last.tiers.append(TierRun(span: TimeSpan(start: boundary, end: span.end), tier: segment.tier))
            }
            last.span.end = max(last.span.end, span.end)
            last.recordings += 1
            ranges[ranges.count - 1] = last
        }

        let horizon = min(max(coveredUntil ?? window.end, window.start), window.end)
        var gaps: [TimeSpan] = []
        var cursor = window.start
        for range in ranges where cursor < horizon {
            if range.span.start > cursor { gaps.append(TimeSpan(start: cursor, end: min(range.span.start, horizon))) }
            cursor = max(cursor, range.span.end)
        }
        if cursor < horizon { gaps.append(TimeSpan(start: cursor, end: horizon)) }

        let recorded = ranges.reduce(0) { $0 + $1.span.seconds }
        return ConsolidatedTimeline(ranges: ranges, gaps: gaps, recordedSeconds: recorded)
    }
}

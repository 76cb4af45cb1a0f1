/// Where a background job is in its life (docs/design/jobs.md, States).
public enum JobState: String, CaseIterable, Sendable, Codable {
    /// Waiting; claimable once its `run_at` has passed.
    case queued
    /// Claimed by a worker, whose lease keeps it.
    case running
    /// The last attempt failed; another is due at `run_at`.
    case failed
    /// No attempts left, or a permanent error: waits for someone to retry or cancel it.
    case parked
    case succeeded
    case cancelled

    /// A worker may still take it (when due).
    public var isWaiting: Bool { self == .queued || self == .failed }

    /// Nothing more happens to it unless someone retries it.
    public var isFinal: Bool { self == .succeeded || self == .cancelled || self == .parked }

    /// Whether `cancel` applies: anything not finished.
    public var canCancel: Bool { self == .queued || self == .failed || self == .running }

    /// Whether `retry` applies: anything that stopped without succeeding.
    public var canRetry: Bool { self == .parked || self == .failed || self == .cancelled }
}

/// How important a job is; higher runs first (docs/design/jobs.md, Claiming).
public enum JobPriority {
    /// Live detection (frames as they are recorded).
    public static let live = 100
    /// Analysis a user asked for.
    public static let requested = 30
    /// A segment just recorded.
    public static let newSegment = 20
    /// Footage found unanalysed at start-up.
    public static let backfill = 10
    /// Storage: freeing a disk that is short of space comes before everything else in its kind.
    public static let freeSpace = 90
    /// Storage: footage past its retention or tier limits, or moved by hand.
    public static let storage = 40
}

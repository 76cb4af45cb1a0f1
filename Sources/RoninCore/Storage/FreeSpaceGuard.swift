import Foundation

/// How much free space a disk the NVR writes to must keep (docs/design/tiers.md, Free space):
/// the larger of STORAGE_MIN_FREE_GB and what the cameras writing to it record in `horizon`
/// (an hour), at the bandwidth measured from their recent segments. Whatever else fills the
/// disk (other programs' files), the guard frees footage until this much is free again.
public enum FreeSpaceGuard {
    /// The time of recording kept free on top of the minimum.
    public static let horizon: TimeInterval = 3_600

    /// A camera's recording bandwidth in bytes per second, from its recent segments (bytes and
    /// seconds of each); 0 with none.
    public static func bandwidth(_ segments: [(bytes: Int64, seconds: Double)]) -> Double {
        let seconds = segments.reduce(0) { $0 + max(0, $1.seconds) }
        guard seconds > 0 else { return 0 }
        return Double(segments.reduce(0) { $0 + max(0, $1.bytes) }) / seconds
    }

    /// Bytes to keep free on a disk that cameras with these bandwidths write to.
    public static func required(minFreeBytes: Int64, bandwidths: [Double], horizon: TimeInterval = horizon) -> Int64 {
        let recording = bandwidths.reduce(0) { $0 + max(0, $1) } * horizon
        return max(minFreeBytes, Int64(min(recording, 9e18)))
    }
}

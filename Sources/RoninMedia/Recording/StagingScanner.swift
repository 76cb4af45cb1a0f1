import Foundation
import RoninCore

/// A segment file in a camera's staging folder.
public struct StagedSegment: Sendable, Equatable {
    public let path: String
    public let fileName: String
    /// When ffmpeg opened the file (from its name, to the second).
    public let openedAt: Date
    /// When ffmpeg last wrote to it: the segment's end once it is finished.
    public let modifiedAt: Date
    public let size: Int64
}

/// Lists a staging folder and tells finished segments from the one ffmpeg is still writing.
///
/// Invariant: while a writer is active, the newest file (by the start time in its name) may be
/// incomplete and is never reported; every older file is finished, because the segment muxer
/// closes a file before opening the next. With no writer, every file is finished, including
/// one cut short by a crash.
public enum StagingScanner {
    public static func segments(in directory: String) -> [StagedSegment] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.compactMap { name -> StagedSegment? in
            guard let opened = SegmentLayout.stagingStart(fileName: name) else { return nil }
            let path = directory + "/" + name
            guard let status = FileStatus.of(path) else { return nil }
            return StagedSegment(path: path, fileName: name, openedAt: opened, modifiedAt: status.modifiedAt, size: status.size)
        }.sorted { $0.openedAt < $1.openedAt }
    }

    /// The finished segments, oldest first.
    public static func finished(in directory: String, writerActive: Bool) -> [StagedSegment] {
        let all = segments(in: directory)
        return writerActive ? Array(all.dropLast()) : all
    }
}

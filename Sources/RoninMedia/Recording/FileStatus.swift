import Foundation

/// A file's size and modification time from one `stat` call: what the recorder asks of files it
/// watches every second, without the attribute dictionary `FileManager` builds for each.
public struct FileStatus: Sendable, Equatable {
    public let size: Int64
    public let modifiedAt: Date

    /// The status of `path`, or nil when it is not there.
    public static func of(_ path: String) -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        return FileStatus(size: Int64(info.st_size), modifiedAt: modified)
    }
}

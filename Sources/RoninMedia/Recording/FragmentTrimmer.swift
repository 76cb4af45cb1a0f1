import Foundation

/// Cuts a fragmented MP4 back to its last complete fragment.
///
/// A crash can stop ffmpeg in the middle of writing a fragment, leaving a `moof` without its
/// `mdat`, or an `mdat` shorter than its declared size. Players then stumble on the broken
/// frame at the end. Only top-level box headers are read: `ftyp`, `moov` and each `moof`+`mdat`
/// pair are kept while complete; everything from the first incomplete box on is cut.
public enum FragmentTrimmer {
    /// Truncates the file if it ends in an incomplete fragment. Returns the bytes removed.
    @discardableResult
    public static func trim(path: String) throws -> Int64 {
        guard let handle = FileHandle(forUpdatingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        let size = Int64(try handle.seekToEnd())
        let keep = try completeLength(handle: handle, size: size)
        guard keep < size else { return 0 }
        try handle.truncate(atOffset: UInt64(keep))
        return size - keep
    }

    /// The length of the file's complete prefix.
    static func completeLength(handle: FileHandle, size: Int64) throws -> Int64 {
        var offset: Int64 = 0
        var complete: Int64 = 0
        while size - offset >= 8 {
            try handle.seek(toOffset: UInt64(offset))
            guard let header = try handle.read(upToCount: 16), header.count >= 8 else { break }
            let bytes = [UInt8](header)
            var boxSize = Int64(bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            let type = String(decoding: bytes[4..<8], as: UTF8.self)
            if boxSize == 1 {
                guard bytes.count >= 16 else { break }
                boxSize = Int64(bitPattern: bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            } else if boxSize == 0 {
                boxSize = size - offset
            }
            guard boxSize >= 8, offset + boxSize <= size else { break }
            offset += boxSize
            // A fragment counts once its media data is complete; a lone moof does not.
            if type != "moof" { complete = offset }
        }
        return complete
    }
}

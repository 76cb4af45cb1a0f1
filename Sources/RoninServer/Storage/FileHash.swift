import Crypto
import Foundation

/// SHA-256 of footage files (docs/design/tiers.md): taken when a segment is indexed, and when a
/// move reads its source or reads its copy back. Read a megabyte at a time into one buffer.
enum FileHash {
    static let chunk = 1 << 20

    /// The SHA-256 (hex) of a local file, read a megabyte at a time into one buffer.
    static func sha256(of path: String) throws -> String {
        let input = open(path, O_RDONLY)
        guard input >= 0 else { throw FootageUnavailable(description: "cannot read \(path)") }
        defer { close(input) }
        var hasher = ChunkHasher()
        while try hasher.read(input, path: path, upTo: nil) > 0 {}
        return hasher.hex()
    }

    /// The SHA-256 (hex) of a file being written, read right behind its writer as `progress`
    /// says more is there, to the end of the copy.
    static func sha256(of path: String, following progress: CopyProgress) throws -> String {
        var hasher = ChunkHasher()
        var input: Int32 = -1
        defer { if input >= 0 { close(input) } }
        while true {
            let state = progress.wait(beyond: hasher.offset)
            if state.failed { throw CancellationError() }
            if input < 0 {
                input = open(path, O_RDONLY)
                guard input >= 0 else { throw StorageIOError("cannot read back \(path): \(String(cString: strerror(errno)))") }
            }
            while hasher.offset < state.written {
                guard try hasher.read(input, path: path, upTo: state.written) > 0 else {
                    throw StorageIOError("\(path) ends at \(hasher.offset) bytes, not \(state.written)")
                }
            }
            if state.ended { return hasher.hex() }
        }
    }
}

/// SHA-256 over a file read a megabyte at a time into one buffer, from its start.
struct ChunkHasher {
    private var hash = SHA256()
    private var buffer = [UInt8](repeating: 0, count: FileHash.chunk)
    private(set) var offset = 0

    /// Reads and hashes the next chunk (not past `limit`); answers how many bytes it read.
    mutating func read(_ descriptor: Int32, path: String, upTo limit: Int?) throws -> Int {
        let wanted = min(buffer.count, limit.map { $0 - offset } ?? buffer.count)
        guard wanted > 0 else { return 0 }
        let at = offset
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(at)) }
        guard count >= 0 else { throw FootageUnavailable(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        buffer.withUnsafeBytes { hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        offset += count
        return count
    }

    func hex() -> String {
        hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}


import Crypto
import Foundation
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc

private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { Glibc.open(path, flags, mode) }
private func posixClose(_ descriptor: Int32) { _ = Glibc.close(descriptor) }
#elseif canImport(Darwin)
import Darwin

private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 { Darwin.open(path, flags, mode) }
private func posixClose(_ descriptor: Int32) { _ = Darwin.close(descriptor) }
#endif

/// A local file failed to open, read or write while moving footage to or from S3.
struct LocalFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "\(path): \(reason)" }

    static func failure(_ path: String, _ action: String) -> LocalFileError {
        LocalFileError(path: path, reason: "\(action) failed: \(String(cString: strerror(errno)))")
    }
}

/// A local file open for reading at given offsets. Reads run on NIO's blocking-I/O thread pool
/// (never on the cooperative pool), use `pread` (no shared file position, so concurrent reads
/// are safe), and are bounded by the caller's count: a recording is never loaded whole.
/// The descriptor closes when the reader goes away.
final class LocalFileReader: Sendable {
    let path: String
    /// The size when opened.
    let size: Int64
    private let descriptor: Int32

    private init(path: String, size: Int64, descriptor: Int32) {
        self.path = path
        self.size = size
        self.descriptor = descriptor
    }

    deinit { posixClose(descriptor) }

    static func open(_ path: String) async throws -> LocalFileReader {
        try await NIOThreadPool.singleton.runIfActive {
            let fd = posixOpen(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw LocalFileError.failure(path, "open") }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let error = LocalFileError.failure(path, "stat")
                posixClose(fd)
                throw error
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                posixClose(fd)
                throw LocalFileError(path: path, reason: "not a regular file")
            }
            return LocalFileReader(path: path, size: Int64(info.st_size), descriptor: fd)
        }
    }

    /// Exactly `count` bytes from `offset`; throws when the file ends sooner (it shrank).
    func read(at offset: Int64, count: Int) async throws -> ByteBuffer {
        let fd = descriptor, path = path
        return try await NIOThreadPool.singleton.runIfActive {
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            var done = 0
            while done < count {
                let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - done) { raw -> Int in
                    let n = pread(fd, raw.baseAddress, count - done, off_t(offset + Int64(done)))
                    if n < 0 {
                        if errno == EINTR { return 0 }
                        throw LocalFileError.failure(path, "read")
                    }
                    if n == 0 { throw LocalFileError(path: path, reason: "ended at \(offset + Int64(done)) bytes, expected \(offset + Int64(count))") }
                    return n
                }
                done += got
            }
            return buffer
        }
    }
}

/// A local file open for writing from the start (created or truncated), written in order on
/// NIO's thread pool. `finish()` syncs it to disk; `discard()` removes it.
final class LocalFileWriter: Sendable {
    let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { posixClose(descriptor) }

    static func create(_ path: String) async throws -> LocalFileWriter {
        try await NIOThreadPool.singleton.runIfActive {
            let fd = posixOpen(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw LocalFileError.failure(path, "create") }
            return LocalFileWriter(path: path, descriptor: fd)
        }
    }

    func write(_ buffer: ByteBuffer, at offset: Int64) async throws {
        let fd = descriptor, path = path
        try await NIOThreadPool.singleton.runIfActive {
            var done = 0
            try buffer.withUnsafeReadableBytes { raw in
                while done < raw.count {
                    let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + Int64(done)))
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw LocalFileError.failure(path, "write")
                    }
                    done += n
                }
            }
        }
    }

    func finish() async throws {
        let fd = descriptor, path = path
        try await NIOThreadPool.singleton.runIfActive {
            guard fsync(fd) == 0 else { throw LocalFileError.failure(path, "fsync") }
        }
    }

    func discard() {
        _ = unlink(path)
    }
}

/// The bytes `range` of a file as an async sequence of chunks, for a streamed request body.
/// Each chunk is read when asked for (back-pressure from the connection) and, with a limiter,
/// admitted by it before it is handed on. A new iteration reads the file again, so a retried
/// request sends the same bytes.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let file: LocalFileReader
    let range: Range<Int64>
    let chunkSize: Int
    let limiter: BandwidthLimiter?

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: FileChunks
        var offset: Int64

        mutating func next() async throws -> ByteBuffer? {
            guard offset < chunks.range.upperBound else { return nil }
            let count = Int(Swift.min(Int64(chunks.chunkSize), chunks.range.upperBound - offset))
            let buffer = try await chunks.file.read(at: offset, count: count)
            if let limiter = chunks.limiter { try await limiter.admit(count) }
            offset += Int64(count)
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: self, offset: range.lowerBound)
    }
}

/// The SHA-256 of a whole file and of each of its parts (when it will go up in parts), read
/// once in 1 MiB chunks. These are what uploads sign and declare as checksums, and what
/// verification compares against.
struct FileDigest: Sendable, Equatable {
    let size: Int64
    let sha256: [UInt8]
    /// The part size and each part's SHA-256, in order; empty for a single PUT.
    let partSize: Int64
    let parts: [[UInt8]]

    var hex: String { Self.hex(sha256) }
    var base64: String { Data(sha256).base64EncodedString() }

    /// S3's checksum of a multipart object: the SHA-256 of the parts' digests one after
    /// another, base64, then `-` and the number of parts.
    var compositeChecksum: String {
        var hasher = SHA256()
        for part in parts { hasher.update(data: part) }
        return Data(hasher.finalize()).base64EncodedString() + "-\(parts.count)"
    }

    /// Byte range of part `index` (0-based).
    func partRange(_ index: Int) -> Range<Int64> {
        let start = Int64(index) * partSize
        return start..<min(size, start + partSize)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Reads `file` once; with `partSize`, also hashes each `partSize` slice on its own.
    static func compute(_ file: LocalFileReader, partSize: Int64? = nil) async throws -> FileDigest {
        let chunk: Int64 = 1_048_576
        var whole = SHA256()
        var part = SHA256()
        var parts: [[UInt8]] = []
        var inPart: Int64 = 0
        var offset: Int64 = 0
        while offset < file.size {
            let buffer = try await file.read(at: offset, count: Int(min(chunk, file.size - offset)))
            buffer.withUnsafeReadableBytes { raw in
                whole.update(bufferPointer: raw)
                guard let partSize else { return }
                var cursor = 0
                while cursor < raw.count {
                    let take = min(raw.count - cursor, Int(partSize - inPart))
                    part.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[cursor..<(cursor + take)]))
                    cursor += take
                    inPart += Int64(take)
                    if inPart == partSize {
                        parts.append(Array(part.finalize()))
                        part = SHA256()
                        inPart = 0
                    }
                }
            }
            offset += Int64(buffer.readableBytes)
        }
        if partSize != nil, inPart > 0 || parts.isEmpty { parts.append(Array(part.finalize())) }
        return FileDigest(size: file.size, sha256: Array(whole.finalize()), partSize: partSize ?? file.size, parts: partSize == nil ? [] : parts)
    }
}

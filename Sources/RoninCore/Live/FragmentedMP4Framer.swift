/// Where a live fragmented MP4 stream's pieces begin and end (docs/design/live.md), decided from
/// box headers alone, so that whoever holds the bytes can hand each piece on without copying it:
/// `ftyp` and `moov` make the init segment, each `moof` + `mdat` pair a fragment, and any other
/// box (`styp`, `sidx`, `free`, …) travels inside the piece it precedes. Only a `moov` (once per
/// stream) and each `moof` (a few hundred bytes) are read beyond their headers.
///
/// The caller keeps every byte that no piece has taken yet, contiguous, and calls `next(in:)`
/// after each arrival until it answers nil; each piece it answers is the first `length` bytes,
/// which the caller then drops from its front.
public struct FragmentedMP4Framer: Sendable {
    /// A complete piece at the front of the pending bytes.
    public enum Piece: Sendable, Equatable {
        /// The stream's start: its init segment, with the tracks a browser checks.
        case initSegment(length: Int, tracks: [MP4InitInfo.Track])
        /// A fragment of media; whether it starts with a video keyframe.
        case fragment(length: Int, startsWithKeyframe: Bool)
        /// Bytes no viewer can use (what preceded a new `ftyp`).
        case unusable(length: Int)
    }

    /// The stream is not a fragmented MP4 this framer can follow.
    public struct Broken: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public var maxBoxBytes = 64 << 20
    /// How far into the pending bytes whole boxes have been read.
    private var scanned = 0
    private var pendingKeyframe: Bool?
    private(set) public var initInfo: MP4InitInfo?

    public init() {}

    /// The next complete piece at the front of `bytes` (everything pending, from its first byte),
    /// or nil until more bytes arrive.
    public mutating func next(in bytes: UnsafeRawBufferPointer) throws(Broken) -> Piece? {
        while bytes.count - scanned >= 8 {
            var size = Int(Self.u32(bytes, scanned))
            var header = 8
            if size == 1 {
                guard bytes.count - scanned >= 16 else { return nil }
                let large = UInt64(Self.u32(bytes, scanned + 8)) << 32 | UInt64(Self.u32(bytes, scanned + 12))
                guard large <= UInt64(maxBoxBytes) else { throw Broken(description: "a box of \(large) bytes") }
                size = Int(large)
                header = 16
            }
            guard size >= header, size <= maxBoxBytes else { throw Broken(description: "a box of \(size) bytes") }
            guard bytes.count - scanned >= size else { return nil }
            let start = scanned
            let type = Self.u32(bytes, start + 4)
            if type == Self.ftyp, start > 0 {
                // A new stream starts: whatever was pending belongs to no piece.
                return complete(.unusable(length: start))
            }
            scanned += size
            switch type {
            case Self.ftyp:
                initInfo = nil
                pendingKeyframe = nil
            case Self.moov:
                let info = MP4InitInfo.parse(moov: Array(bytes[start..<scanned]))
                initInfo = info
                return complete(.initSegment(length: scanned, tracks: info.tracks))
            case Self.moof:
                pendingKeyframe = initInfo.map { MP4InitInfo.startsWithKeyframe(moof: Array(bytes[start..<scanned]), info: $0) } ?? false
            case Self.mdat:
                // Media before any init segment cannot be decoded by anyone.
                guard initInfo != nil else { return complete(.unusable(length: scanned)) }
                if let keyframe = pendingKeyframe { return complete(.fragment(length: scanned, startsWithKeyframe: keyframe)) }
            default:
                break
            }
            // Boxes that never make a piece are not kept without bound.
            if scanned > maxBoxBytes { return complete(.unusable(length: scanned)) }
        }
        return nil
    }

    private mutating func complete(_ piece: Piece) -> Piece {
        switch piece {
        case .initSegment(let length, _), .fragment(let length, _), .unusable(let length):
            scanned -= length
        }
        pendingKeyframe = nil
        return piece
    }

    private static func u32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private static let ftyp = fourCC("ftyp")
    private static let moov = fourCC("moov")
    private static let moof = fourCC("moof")
    private static let mdat = fourCC("mdat")

    private static func fourCC(_ name: StaticString) -> UInt32 {
        name.withUTF8Buffer { UInt32($0[0]) << 24 | UInt32($0[1]) << 16 | UInt32($0[2]) << 8 | UInt32($0[3]) }
    }
}

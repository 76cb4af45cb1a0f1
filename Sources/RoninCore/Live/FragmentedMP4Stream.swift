import Foundation

/// Reads a fragmented MP4 byte stream as ffmpeg writes it for live view, delivered in pieces of
/// any size, into pieces that own their bytes: the init segment once, with the codecs a browser
/// needs to check (`MediaSource.isTypeSupported`), and each fragment with whether it starts with a
/// video keyframe. Where the pieces begin and end is `FragmentedMP4Framer`'s decision; this keeps
/// the bytes in an array (the server keeps them in its network buffers instead, uncopied).
///
/// A box larger than `maxBoxBytes` is a broken stream: `append` throws and the caller resets.
public struct FragmentedMP4Stream: Sendable {
    /// A complete piece of the stream.
    public enum Piece: Sendable, Equatable {
        case initSegment(InitSegment)
        case fragment(Fragment)
    }

    public struct InitSegment: Sendable, Equatable {
        public let bytes: [UInt8]
        public let tracks: [MP4InitInfo.Track]
        public var codecs: String { MP4InitInfo.codecs(of: tracks) }
        public var mimeType: String { MP4InitInfo.mimeType(of: tracks) }
    }

    public struct Fragment: Sendable, Equatable {
        public let bytes: [UInt8]
        /// The fragment starts with a video sync sample (or holds no video at all).
        public let startsWithKeyframe: Bool
    }

    public typealias Broken = FragmentedMP4Framer.Broken

    public var maxBoxBytes: Int {
        get { framer.maxBoxBytes }
        set { framer.maxBoxBytes = newValue }
    }
    private var framer = FragmentedMP4Framer()
    private var buffer: [UInt8] = []
    public var initInfo: MP4InitInfo? { framer.initInfo }

    public init() {}

    /// Adds bytes; returns the pieces they complete, in order.
    public mutating func append(_ bytes: some Sequence<UInt8>) throws(Broken) -> [Piece] {
        buffer.append(contentsOf: bytes)
        var pieces: [Piece] = []
        var taken = 0
        while true {
            var failure: Broken?
            let next = buffer.withUnsafeBytes { all -> FragmentedMP4Framer.Piece? in
                do throws(Broken) {
                    return try framer.next(in: UnsafeRawBufferPointer(rebasing: all[taken...]))
                } catch {
                    failure = error
                    return nil
                }
            }
            if let failure { throw failure }
            guard let next else { break }
            switch next {
            case .initSegment(let length, let tracks):
                pieces.append(.initSegment(InitSegment(bytes: Array(buffer[taken..<taken + length]), tracks: tracks)))
                taken += length
            case .fragment(let length, let keyframe):
                pieces.append(.fragment(Fragment(bytes: Array(buffer[taken..<taken + length]), startsWithKeyframe: keyframe)))
                taken += length
            case .unusable(let length):
                taken += length
            }
        }
        if taken > 0 { buffer.removeFirst(taken) }
        return pieces
    }
}

/// What an init segment says about its tracks.
public struct MP4InitInfo: Sendable, Equatable {
    public struct Track: Sendable, Equatable {
        public let id: UInt32
        /// `vide` or `soun` (others are kept but ignored).
        public let handler: String
        /// RFC 6381, e.g. `avc1.64001F`, `hvc1.1.6.L93.B0`, `mp4a.40.2`.
        public let codec: String
        public let width: Int?
        public let height: Int?
        /// The sample flags of `trex`, used when a fragment gives none.
        public let defaultSampleFlags: UInt32
    }

    public let tracks: [Track]

    public var video: Track? { tracks.first { $0.handler == "vide" } }

    /// RFC 6381 codecs of every track, comma-separated: `avc1.64001F,mp4a.40.2`.
    public static func codecs(of tracks: [Track]) -> String { tracks.map(\.codec).joined(separator: ",") }

    /// The MIME type a browser checks with `MediaSource.isTypeSupported`.
    public static func mimeType(of tracks: [Track]) -> String { "video/mp4; codecs=\"\(codecs(of: tracks))\"" }

    static func parse(moov: [UInt8]) -> MP4InitInfo {
        var trexFlags: [UInt32: UInt32] = [:]
        var tracks: [Track] = []
        for child in MP4Bytes.children(moov, from: 8) {
            switch child.type {
            case "mvex":
                for trex in MP4Bytes.children(moov, from: child.start + 8, to: child.end) where trex.type == "trex" {
                    // version/flags 4, track_ID 4, default_sample_description_index 4, duration 4, size 4, flags 4
                    guard trex.end - trex.start >= 32 else { continue }
                    trexFlags[MP4Bytes.u32(moov, trex.start + 12)] = MP4Bytes.u32(moov, trex.start + 28)
                }
            case "trak":
                if let track = parseTrack(moov, child) { tracks.append(track) }
            default:
                break
            }
        }
        return MP4InitInfo(tracks: tracks.map { track in
            Track(id: track.id, handler: track.handler, codec: track.codec, width: track.width, height: track.height,
                  defaultSampleFlags: trexFlags[track.id] ?? 0)
        })
    }

    private static func parseTrack(_ bytes: [UInt8], _ trak: MP4Bytes.Box) -> Track? {
        var id: UInt32?
        var handler = ""
        var codec = "unknown"
        var width: Int?, height: Int?
        for box in MP4Bytes.children(bytes, from: trak.start + 8, to: trak.end) {
            if box.type == "tkhd" {
                let version = bytes[box.start + 8]
                id = MP4Bytes.u32(bytes, box.start + (version == 1 ? 28 : 20))
            } else if box.type == "mdia" {
                for part in MP4Bytes.children(bytes, from: box.start + 8, to: box.end) {
                    if part.type == "hdlr", part.end - part.start >= 20 { handler = MP4Bytes.fourCC(bytes, part.start + 16) }
                    if part.type == "minf", let stsd = MP4Bytes.find(bytes, path: ["stbl", "stsd"], from: part.start + 8, to: part.end) {
                        let entry = MP4Codecs.describe(bytes, stsd: stsd)
                        codec = entry.codec
                        width = entry.width
                        height = entry.height
                    }
                }
            }
        }
        guard let id else { return nil }
        return Track(id: id, handler: handler, codec: codec, width: width, height: height, defaultSampleFlags: 0)
    }

    /// Whether the first video sample of a `moof` is a sync sample (a fragment without video,
    /// audio alone, counts as a place to start).
    static func startsWithKeyframe(moof: [UInt8], info: MP4InitInfo) -> Bool {
        guard let video = info.video else { return true }
        for traf in MP4Bytes.children(moof, from: 8) where traf.type == "traf" {
            var trackID: UInt32?
            var flags = video.defaultSampleFlags
            for box in MP4Bytes.children(moof, from: traf.start + 8, to: traf.end) {
                let fullFlags = MP4Bytes.u32(moof, box.start + 8) & 0x00FF_FFFF
                if box.type == "tfhd" {
                    trackID = MP4Bytes.u32(moof, box.start + 12)
                    var at = box.start + 16
                    if fullFlags & 0x01 != 0 { at += 8 }   // base_data_offset
                    if fullFlags & 0x02 != 0 { at += 4 }   // sample_description_index
                    if fullFlags & 0x08 != 0 { at += 4 }   // default_sample_duration
                    if fullFlags & 0x10 != 0 { at += 4 }   // default_sample_size
                    if fullFlags & 0x20 != 0, at + 4 <= box.end { flags = MP4Bytes.u32(moof, at) }
                } else if box.type == "trun", trackID == video.id {
                    var at = box.start + 16   // after header, version/flags, sample_count
                    if fullFlags & 0x001 != 0 { at += 4 }   // data_offset
                    if fullFlags & 0x004 != 0, at + 4 <= box.end { return isSync(MP4Bytes.u32(moof, at)) }
                    if fullFlags & 0x400 != 0 {
                        if fullFlags & 0x100 != 0 { at += 4 }   // sample_duration
                        if fullFlags & 0x200 != 0 { at += 4 }   // sample_size
                        if at + 4 <= box.end { return isSync(MP4Bytes.u32(moof, at)) }
                    }
                    return isSync(flags)
                }
            }
        }
        return false
    }

    /// `sample_is_non_sync_sample` clear (ISO/IEC 14496-12, 8.8.3.1).
    static func isSync(_ flags: UInt32) -> Bool { flags & 0x0001_0000 == 0 }
}

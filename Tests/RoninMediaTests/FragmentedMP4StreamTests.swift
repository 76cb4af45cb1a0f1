import Foundation
import RoninCore
import Testing
@testable import RoninMedia

/// The live view's fragmented MP4 as ffmpeg writes it (a fragment per frame), read in pieces of
/// any size: one init segment with the codecs a browser checks, then fragments, those that start
/// a GOP marked as keyframes.
@Suite(.timeLimit(.minutes(5))) struct FragmentedMP4StreamTests {
    /// Two seconds of 25 fps H.264 (a keyframe every 10 frames) with AAC, fragmented per frame.
    static func liveStream(profile: String = "main") async throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString).mp4").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await ProcessRunner().run("ffmpeg", arguments: [
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2", "-f", "lavfi", "-i", "sine=duration=2",
            "-c:v", "libx264", "-profile:v", profile, "-preset", "veryfast", "-g", "10", "-keyint_min", "10", "-sc_threshold", "0",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-f", "mp4",
            "-movflags", "+empty_moov+default_base_moof+frag_every_frame", path,
        ], timeout: 60)
        #expect(result.exitCode == 0, "\(result.stderrText)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func read(_ bytes: [UInt8], chunk: (Int) -> Int) throws -> [FragmentedMP4Stream.Piece] {
        var stream = FragmentedMP4Stream()
        var pieces: [FragmentedMP4Stream.Piece] = []
        var at = 0
        var n = 0
        while at < bytes.count {
            let size = min(bytes.count - at, max(1, chunk(n)))
            pieces += try stream.append(bytes[at..<at + size])
            at += size
            n += 1
        }
        return pieces
    }

    @Test func theInitSegmentNamesItsCodecsAndEveryGOPStartsWithAKeyframe() async throws {
        let bytes = try await Self.liveStream()
        let pieces = try Self.read(bytes) { n in [1, 7, 4096, 13, 100_000, 3][n % 6] }
        guard case .initSegment(let initSegment) = pieces.first else {
            Issue.record("the stream does not start with its init segment")
            return
        }
        let level = try await Self.level(bytes)
        #expect(initSegment.codecs == "avc1.4D40\(level),mp4a.40.2", "main profile at its level; AAC-LC")
        #expect(initSegment.mimeType == "video/mp4; codecs=\"avc1.4D40\(level),mp4a.40.2\"")
        #expect(initSegment.tracks.first { $0.handler == "vide" }.map { ($0.width, $0.height) } ?? (0, 0) == (320, 240))
        #expect(Array(initSegment.bytes[4..<8]) == Array("ftyp".utf8))
        let fragments = pieces.dropFirst().compactMap { piece -> FragmentedMP4Stream.Fragment? in
            if case .fragment(let fragment) = piece { return fragment }
            return nil
        }
        #expect(pieces.count == fragments.count + 1, "one init segment, then fragments only")
        // Every byte comes out once, but the index a finished file ends with (`mfra`), which a
        // live stream never has.
        let index = Self.trailingIndexSize(bytes)
        #expect(index > 0)
        #expect(fragments.map(\.bytes.count).reduce(initSegment.bytes.count, +) == bytes.count - index)
        // Video fragments: 50 frames, a keyframe every 10; audio fragments count as places to start.
        let video = fragments.filter { fragment in Self.trackIDs(fragment.bytes).contains(1) }
        #expect(video.count == 50)
        #expect(video.enumerated().filter(\.element.startsWithKeyframe).map(\.offset) == [0, 10, 20, 30, 40])
    }

    @Test func aHighProfileStreamIsNamedSo() async throws {
        let pieces = try Self.read(try await Self.liveStream(profile: "high")) { _ in 65_536 }
        guard case .initSegment(let initSegment) = pieces.first else {
            Issue.record("no init segment")
            return
        }
        #expect(initSegment.codecs.hasPrefix("avc1.64"))
    }

    @Test func garbageIsRefused() {
        var stream = FragmentedMP4Stream()
        #expect(throws: FragmentedMP4Stream.Broken.self) { try stream.append([0xFF, 0xFF, 0xFF, 0xFF] + Array("moof".utf8)) }
        var tiny = FragmentedMP4Stream()
        #expect(throws: FragmentedMP4Stream.Broken.self) { try tiny.append([0, 0, 0, 3] + Array("free".utf8)) }
    }

    @Test func aStreamThatStartsAgainOnOneConnectionIsReadAgainFromItsInitSegment() async throws {
        let bytes = try await Self.liveStream()
        let once = try Self.read(bytes) { _ in 65_536 }
        // The first stream's trailing index precedes the second `ftyp`: it belongs to no piece.
        let twice = try Self.read(bytes + bytes) { n in [5000, 3, 70_000][n % 3] }
        #expect(twice == once + once)
    }

    @Test func mediaBeforeAnyInitSegmentIsDropped() async throws {
        let bytes = try await Self.liveStream()
        let pieces = try Self.read(bytes) { _ in 65_536 }
        guard case .initSegment(let initSegment) = pieces.first else {
            Issue.record("no init segment")
            return
        }
        // A reader that joins mid-stream: fragments without their init segment, then a new stream.
        let headless = Array(bytes[initSegment.bytes.count...])
        let joined = try Self.read(headless + bytes) { _ in 4096 }
        #expect(joined == pieces)
    }

    @Test func theFramerCutsPiecesFromThePendingBytesWithoutOwningThem() throws {
        func box(_ type: String, _ body: [UInt8] = []) -> [UInt8] {
            let size = UInt32(8 + body.count)
            return [UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + Array(type.utf8) + body
        }
        // An init without tracks: every fragment counts as a place to start.
        let stream = box("ftyp", [1, 2, 3, 4]) + box("moov") + box("styp") + box("moof") + box("mdat", [9, 9]) + box("moof")
        var framer = FragmentedMP4Framer()
        var pending = stream[...]
        var pieces: [FragmentedMP4Framer.Piece] = []
        while let piece = try Array(pending).withUnsafeBytes({ (raw) throws(FragmentedMP4Framer.Broken) in try framer.next(in: raw) }) {
            pieces.append(piece)
            switch piece {
            case .initSegment(let length, _), .fragment(let length, _), .unusable(let length): pending = pending.dropFirst(length)
            }
        }
        #expect(pieces == [.initSegment(length: 20, tracks: []), .fragment(length: 26, startsWithKeyframe: true)])
        #expect(pending.count == 8, "the last moof waits for its mdat")
    }

    /// The H.264 level ffprobe reads, as two hex digits (31 → "1F").
    static func level(_ bytes: [UInt8]) async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("level-\(UUID().uuidString).mp4").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try await ProcessRunner().run("ffprobe", arguments: ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=level",
                                                                          "-of", "csv=p=0", path], timeout: 60)
        let value = Int(String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        return String(format: "%02X", value)
    }

    /// The size of the `mfra` box a finished fragmented file ends with (0 without one).
    static func trailingIndexSize(_ bytes: [UInt8]) -> Int {
        var at = 0
        while at + 8 <= bytes.count {
            let size = Int(UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3]))
            if String(decoding: bytes[at + 4..<at + 8], as: UTF8.self) == "mfra" { return size }
            guard size >= 8 else { return 0 }
            at += size
        }
        return 0
    }

    /// The track ids of a fragment's `traf` boxes.
    static func trackIDs(_ fragment: [UInt8]) -> [UInt32] {
        var ids: [UInt32] = []
        var at = 0
        while at + 8 <= fragment.count {
            let size = Int(UInt32(fragment[at]) << 24 | UInt32(fragment[at + 1]) << 16 | UInt32(fragment[at + 2]) << 8 | UInt32(fragment[at + 3]))
            if String(decoding: fragment[at + 4..<at + 8], as: UTF8.self) == "moof" {
                var inner = at + 8
                while inner + 8 <= at + size {
                    let innerSize = Int(UInt32(fragment[inner]) << 24 | UInt32(fragment[inner + 1]) << 16 | UInt32(fragment[inner + 2]) << 8
                                        | UInt32(fragment[inner + 3]))
                    if String(decoding: fragment[inner + 4..<inner + 8], as: UTF8.self) == "traf" {
                        let tfhd = inner + 8
                        ids.append(UInt32(fragment[tfhd + 12]) << 24 | UInt32(fragment[tfhd + 13]) << 16 | UInt32(fragment[tfhd + 14]) << 8
                                   | UInt32(fragment[tfhd + 15]))
                    }
                    guard innerSize >= 8 else { break }
                    inner += innerSize
                }
            }
            guard size >= 8 else { break }
            at += size
        }
        return ids
    }
}

import Foundation

/// Big-endian reads and box walking over MP4 bytes, bounds-checked: a truncated or lying box is
/// skipped, never read past.
enum MP4Bytes {
    struct Box: Equatable {
        let type: String
        /// Offsets of the box's first byte (its size field) and one past its last.
        let start: Int
        let end: Int
    }

    static func u8(_ bytes: [UInt8], _ at: Int) -> UInt8 { at < bytes.count ? bytes[at] : 0 }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        guard at + 2 <= bytes.count else { return 0 }
        return UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        guard at + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(u32(bytes, at)) << 32 | UInt64(u32(bytes, at + 4))
    }

    static func fourCC(_ bytes: [UInt8], _ at: Int) -> String {
        guard at + 4 <= bytes.count else { return "" }
        return String(decoding: bytes[at..<at + 4], as: UTF8.self)
    }

    /// The boxes that follow one another from `from` to `to` (the end of the bytes by default).
    static func children(_ bytes: [UInt8], from: Int, to: Int? = nil) -> [Box] {
        let end = min(to ?? bytes.count, bytes.count)
        var boxes: [Box] = []
        var at = from
        while at + 8 <= end {
            var size = Int(u32(bytes, at))
            if size == 1 { size = Int(clamping: u64(bytes, at + 8)) }
            if size == 0 { size = end - at }
            guard size >= 8, at + size <= end else { break }
            boxes.append(Box(type: fourCC(bytes, at + 4), start: at, end: at + size))
            at += size
        }
        return boxes
    }

    /// The box at `path` (each a child of the one before) inside `from`..`to`.
    static func find(_ bytes: [UInt8], path: [String], from: Int, to: Int) -> Box? {
        guard let first = path.first, let box = children(bytes, from: from, to: to).first(where: { $0.type == first }) else { return nil }
        return path.count == 1 ? box : find(bytes, path: Array(path.dropFirst()), from: box.start + 8, to: box.end)
    }
}

/// The RFC 6381 codec string of an `stsd` box's first sample entry, and its picture size.
enum MP4Codecs {
    static func describe(_ bytes: [UInt8], stsd: MP4Bytes.Box) -> (codec: String, width: Int?, height: Int?) {
        // stsd: header 8, version/flags 4, entry_count 4, then sample entries.
        guard let entry = MP4Bytes.children(bytes, from: stsd.start + 16, to: stsd.end).first else { return ("unknown", nil, nil) }
        switch entry.type {
        case "avc1", "avc3":
            let (width, height) = (Int(MP4Bytes.u16(bytes, entry.start + 32)), Int(MP4Bytes.u16(bytes, entry.start + 34)))
            guard let avcC = MP4Bytes.children(bytes, from: entry.start + 86, to: entry.end).first(where: { $0.type == "avcC" }) else {
                return (entry.type, width, height)
            }
            let at = avcC.start + 8
            let codec = String(format: "%@.%02X%02X%02X", entry.type, MP4Bytes.u8(bytes, at + 1), MP4Bytes.u8(bytes, at + 2), MP4Bytes.u8(bytes, at + 3))
            return (codec, width, height)
        case "hvc1", "hev1":
            let (width, height) = (Int(MP4Bytes.u16(bytes, entry.start + 32)), Int(MP4Bytes.u16(bytes, entry.start + 34)))
            guard let hvcC = MP4Bytes.children(bytes, from: entry.start + 86, to: entry.end).first(where: { $0.type == "hvcC" }) else {
                return (entry.type, width, height)
            }
            return (hevc(bytes, at: hvcC.start + 8, sampleEntry: entry.type), width, height)
        case "mp4a":
            return (aac(bytes, entry: entry), nil, nil)
        default:
            return (entry.type, nil, nil)
        }
    }

    /// `hvc1.{profile space}{profile}.{compatibility, reversed}.{tier}{level}.{constraints}`
    /// (ISO/IEC 14496-15, Annex E).
    static func hevc(_ bytes: [UInt8], at: Int, sampleEntry: String) -> String {
        let profileByte = MP4Bytes.u8(bytes, at + 1)
        let space = ["", "A", "B", "C"][Int(profileByte >> 6)]
        let tier = profileByte & 0x20 != 0 ? "H" : "L"
        let profile = profileByte & 0x1F
        var compatibility = MP4Bytes.u32(bytes, at + 2)
        var reversed: UInt32 = 0
        for _ in 0..<32 {
            reversed = reversed << 1 | compatibility & 1
            compatibility >>= 1
        }
        var constraints = (0..<6).map { MP4Bytes.u8(bytes, at + 6 + $0) }
        while let last = constraints.last, last == 0 { constraints.removeLast() }
        let level = MP4Bytes.u8(bytes, at + 12)
        var text = "\(sampleEntry).\(space)\(profile).\(String(reversed, radix: 16, uppercase: true)).\(tier)\(level)"
        for byte in constraints { text += "." + String(byte, radix: 16, uppercase: true) }
        return text
    }

    /// `mp4a.40.{audio object type}` from the entry's `esds` (AAC: 40 is MPEG-4 audio).
    static func aac(_ bytes: [UInt8], entry: MP4Bytes.Box) -> String {
        // AudioSampleEntry: header 8 + 28 bytes, then child boxes.
        guard let esds = MP4Bytes.children(bytes, from: entry.start + 36, to: entry.end).first(where: { $0.type == "esds" }) else { return "mp4a.40.2" }
        var at = esds.start + 12
        /// A descriptor: tag, then a length of 1 to 4 bytes (7 bits each).
        func descriptor() -> (tag: UInt8, body: Int)? {
            guard at < esds.end else { return nil }
            let tag = bytes[at]
            at += 1
            for _ in 0..<4 where at < esds.end {
                let byte = bytes[at]
                at += 1
                if byte & 0x80 == 0 { break }
            }
            return (tag, at)
        }
        guard let es = descriptor(), es.tag == 0x03 else { return "mp4a.40.2" }
        let flags = MP4Bytes.u8(bytes, at + 2)
        at += 3
        if flags & 0x80 != 0 { at += 2 }
        if flags & 0x40 != 0 { at += 1 + Int(MP4Bytes.u8(bytes, at)) }
        if flags & 0x20 != 0 { at += 2 }
        guard let config = descriptor(), config.tag == 0x04 else { return "mp4a.40.2" }
        let object = MP4Bytes.u8(bytes, at)
        at += 13
        guard object == 0x40, let specific = descriptor(), specific.tag == 0x05 else { return String(format: "mp4a.%02x", object) }
        var audioObject = Int(MP4Bytes.u8(bytes, at) >> 3)
        if audioObject == 31 { audioObject = 32 + Int((MP4Bytes.u8(bytes, at) & 0x07) << 3 | MP4Bytes.u8(bytes, at + 1) >> 5) }
        return "mp4a.40.\(audioObject)"
    }
}

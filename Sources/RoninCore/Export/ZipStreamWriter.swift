import Foundation

/// Writes a ZIP archive front to back without knowing any entry's size in advance, so an
/// archive of exports can stream to a client as the exports are made.
///
/// Entries are stored (video does not compress) with a data descriptor after the data
/// (general purpose flag bit 3) and ZIP64 fields throughout, so entries and archives may exceed
/// 4 GiB. Call `beginEntry`, pass the entry's bytes through `entryData` (which only counts and
/// checksums them; the caller writes the bytes), `endEntry`, and finally `finish`. Each call
/// returns the bytes to write at that point.
public struct ZipStreamWriter: Sendable {
    private struct Entry {
        let name: [UInt8]
        let offset: UInt64
        let dosTime: UInt16
        let dosDate: UInt16
        var crc: UInt32 = 0
        var size: UInt64 = 0
    }

    private var entries: [Entry] = []
    private var current: Entry?
    private var checksum = CRC32()
    private var offset: UInt64 = 0

    public init() {}

    public mutating func beginEntry(name: String, modified: Date) -> [UInt8] {
        precondition(current == nil, "finish the previous entry first")
        let (time, date) = Self.dosTimestamp(modified)
        let entry = Entry(name: Array(name.utf8), offset: offset, dosTime: time, dosDate: date)
        var out = ByteWriter()
        out.u32(0x0403_4B50)
        out.u16(45)  // version needed: ZIP64
        out.u16(0x0808)  // data descriptor follows; names are UTF-8
        out.u16(0)  // stored
        out.u16(time); out.u16(date)
        out.u32(0)  // CRC: in the data descriptor
        out.u32(0xFFFF_FFFF); out.u32(0xFFFF_FFFF)  // sizes: in the ZIP64 field / descriptor
        out.u16(UInt16(entry.name.count)); out.u16(20)
        out.bytes(entry.name)
        out.u16(0x0001); out.u16(16); out.u64(0); out.u64(0)
        current = entry
        checksum = CRC32()
        offset += UInt64(out.data.count)
        return out.data
    }

    /// Accounts for `bytes` of the current entry; the caller writes them unchanged.
    public mutating func entryData(_ bytes: UnsafeRawBufferPointer) {
        precondition(current != nil, "no entry is open")
        checksum.update(bytes)
        current!.size += UInt64(bytes.count)
        offset += UInt64(bytes.count)
    }

    public mutating func endEntry() -> [UInt8] {
        guard var entry = current else { preconditionFailure("no entry is open") }
        entry.crc = checksum.value
        var out = ByteWriter()
        out.u32(0x0807_4B50)
        out.u32(entry.crc)
        out.u64(entry.size); out.u64(entry.size)
        entries.append(entry)
        current = nil
        offset += UInt64(out.data.count)
        return out.data
    }

    /// The central directory and end records; the archive is complete after these bytes.
    public mutating func finish() -> [UInt8] {
        precondition(current == nil, "finish the open entry first")
        let directoryStart = offset
        var out = ByteWriter()
        for entry in entries {
            out.u32(0x0201_4B50)
            out.u16(0x031E)  // made by: Unix, spec 3.0
            out.u16(45); out.u16(0x0808); out.u16(0)
            out.u16(entry.dosTime); out.u16(entry.dosDate)
            out.u32(entry.crc)
            out.u32(0xFFFF_FFFF); out.u32(0xFFFF_FFFF)
            out.u16(UInt16(entry.name.count)); out.u16(28); out.u16(0)
            out.u16(0); out.u16(0)
            out.u32(0o100644 << 16)  // a regular file, rw-r--r--
            out.u32(0xFFFF_FFFF)
            out.bytes(entry.name)
            out.u16(0x0001); out.u16(24); out.u64(entry.size); out.u64(entry.size); out.u64(entry.offset)
        }
        let directorySize = UInt64(out.data.count)
        let zip64End = directoryStart + directorySize
        out.u32(0x0606_4B50); out.u64(44)
        out.u16(0x031E); out.u16(45)
        out.u32(0); out.u32(0)
        out.u64(UInt64(entries.count)); out.u64(UInt64(entries.count))
        out.u64(directorySize); out.u64(directoryStart)
        out.u32(0x0706_4B50); out.u32(0); out.u64(zip64End); out.u32(1)
        out.u32(0x0605_4B50)
        out.u16(0); out.u16(0)
        out.u16(0xFFFF); out.u16(0xFFFF)
        out.u32(0xFFFF_FFFF); out.u32(0xFFFF_FFFF)
        out.u16(0)
        offset += UInt64(out.data.count)
        return out.data
    }

    /// MS-DOS time and date fields (2-second resolution, from 1980), in UTC.
    static func dosTimestamp(_ date: Date) -> (UInt16, UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = max(1980, min(2107, c.year ?? 1980))
        let time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        let day = UInt16((year - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
        return (time, day)
    }
}

/// Little-endian field writer for binary headers.
struct ByteWriter {
    var data: [UInt8] = []

    mutating func u16(_ value: UInt16) { data.append(UInt8(value & 0xFF)); data.append(UInt8(value >> 8)) }
    mutating func u32(_ value: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { data.append(UInt8((value >> UInt32(shift)) & 0xFF)) } }
    mutating func u64(_ value: UInt64) { for shift in stride(from: 0, to: 64, by: 8) { data.append(UInt8((value >> UInt64(shift)) & 0xFF)) } }
    mutating func bytes(_ value: [UInt8]) { data.append(contentsOf: value) }
}

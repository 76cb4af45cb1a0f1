import Crypto
import Foundation

/// A bounded local cache of cold footage in whole blocks (docs/design/tiers.md, Reading
/// footage): a player's range requests become ranged GETs of 1 MiB blocks, each fetched once
/// while it stays cached; the least recently used blocks go once the cache passes its size
/// (COLD_CACHE_MAX_GB). Two requests for one block share one fetch. The folder is emptied at
/// start-up: what it held is not indexed, and every block can be fetched again.
actor ColdBlockCache {
    static let blockSize = 1 << 20

    let directory: String
    let maxBytes: Int64
    private var entries: [String: (bytes: Int, lastUsed: UInt64)] = [:]
    private var total: Int64 = 0
    private var tick: UInt64 = 0
    private var fetching: [String: Task<Data, any Error>] = [:]
    private(set) var hits = 0
    private(set) var misses = 0

    init(directory: String, maxBytes: Int64) {
        self.directory = directory
        self.maxBytes = max(Int64(Self.blockSize) * 4, maxBytes)
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Block `index` of the object `key` of `size` bytes, from the cache or fetched by `fetch`
    /// (given the block's byte range).
    func block(key: String, size: Int64, index: Int, fetch: @escaping @Sendable (ClosedRange<Int64>) async throws -> Data) async throws -> Data {
        let name = Self.name(key: key, size: size, index: index)
        tick += 1
        if entries[name] != nil, let data = FileManager.default.contents(atPath: directory + "/" + name) {
            entries[name]?.lastUsed = tick
            hits += 1
            return data
        }
        if let running = fetching[name] { return try await running.value }
        misses += 1
        let start = Int64(index) * Int64(Self.blockSize)
        let range = start...min(size - 1, start + Int64(Self.blockSize) - 1)
        let task = Task { try await fetch(range) }
        fetching[name] = task
        defer { fetching[name] = nil }
        let data = try await task.value
        keep(name, data)
        return data
    }

    private func keep(_ name: String, _ data: Data) {
        guard FileManager.default.createFile(atPath: directory + "/" + name, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if let old = entries[name] { total -= Int64(old.bytes) }
        entries[name] = (data.count, tick)
        total += Int64(data.count)
        while total > maxBytes, let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            try? FileManager.default.removeItem(atPath: directory + "/" + oldest.key)
            total -= Int64(oldest.value.bytes)
            entries[oldest.key] = nil
        }
    }

    var cachedBytes: Int64 { total }

    static func name(key: String, size: Int64, index: Int) -> String {
        let digest = SHA256.hash(data: Data("\(key)\u{0}\(size)".utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        return "\(digest)-\(index)"
    }
}

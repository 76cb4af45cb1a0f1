import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Every camera stream's live feed and the UNIX socket its ffmpeg writes to (docs/design/live.md):
/// the sockets live in a folder only the NVR's user can enter, so nobody else can feed a camera's
/// live view. A feed and its socket are made when a pipeline asks for them and stay until the
/// camera is removed or the server stops.
actor LiveFeeds: Service {
    private struct Key: Hashable, Sendable {
        let camera: UUID
        let stream: LiveStreamKind
    }

    private struct Entry: Sendable {
        let feed: LiveFeed
        let path: String
        let server: Channel
    }

    let directory: String
    let logger: Logger
    private var entries: [Key: Entry] = [:]
    private var openings: [Key: Task<Entry, any Error>] = [:]

    init(runtimeDirectory: String, logger: Logger) {
        // A UNIX socket's path has at most 107 bytes: a deep data folder gets a private one in /tmp.
        let preferred = runtimeDirectory + "/live"
        directory = preferred.utf8.count + 48 < 104 ? preferred : "/tmp/ronin-live-\(getuid())-\(UInt32(truncatingIfNeeded: preferred.hashValue))"
        self.logger = logger
    }

    /// Where the camera's ffmpeg writes `stream`'s live fragmented MP4 (listening once this returns).
    func socketPath(camera: UUID, stream: LiveStreamKind) async throws -> String {
        try await entry(Key(camera: camera, stream: stream)).path
    }

    /// The feed of a camera stream, if its pipeline ever asked for one.
    func feed(camera: UUID, stream: LiveStreamKind) -> LiveFeed? {
        entries[Key(camera: camera, stream: stream)]?.feed
    }

    /// The feed a viewer joins: made now when the camera's pipeline has not asked for it yet (the
    /// viewer waits for the stream, which starts when the pipeline does).
    func feedForViewing(camera: UUID, stream: LiveStreamKind) async throws -> LiveFeed {
        try await entry(Key(camera: camera, stream: stream)).feed
    }

    /// A stream's feed and listening socket, opened once: a viewer and the pipeline asking at the
    /// same moment share one opening (a second bind would take the socket file from the first).
    private func entry(_ key: Key) async throws -> Entry {
        if let entry = entries[key] { return entry }
        if let opening = openings[key] { return try await opening.value }
        let opening = Task { [directory, logger] in try await Self.open(key, directory: directory, logger: logger) }
        openings[key] = opening
        defer { openings[key] = nil }
        let entry = try await opening.value
        entries[key] = entry
        return entry
    }

    private static func open(_ key: Key, directory: String, logger: Logger) async throws -> Entry {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        let path = "\(directory)/\(key.camera.uuidString.lowercased().prefix(18))-\(key.stream.rawValue).sock"
        let feed = LiveFeed(camera: key.camera, stream: key.stream, logger: logger)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 4)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(LiveFeedSourceHandler(feed: feed)) }
            }
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true)
            .get()
        return Entry(feed: feed, path: path, server: server)
    }

    /// A camera was removed: its feeds end and their viewers are let go.
    func remove(camera: UUID) async {
        for stream in LiveStreamKind.allCases {
            guard let entry = entries.removeValue(forKey: Key(camera: camera, stream: stream)) else { continue }
            try? await entry.server.close()
            entry.feed.close()
            try? FileManager.default.removeItem(atPath: entry.path)
        }
    }

    func run() async throws {
        try? await gracefulShutdown()
        for (_, entry) in entries {
            try? await entry.server.close()
            entry.feed.close()
            try? FileManager.default.removeItem(atPath: entry.path)
        }
        entries.removeAll()
    }
}

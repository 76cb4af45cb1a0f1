import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// `GET /api/cameras/{id}/live/ws?stream=main|sub`: a camera's live view as fragmented MP4 over a
/// WebSocket (docs/design/live.md, docs/api.md Live view). The upgrade is decided before the
/// router sees the request: signed in (bearer token or the session cookie), from this site
/// (`Origin`, when sent, names the host asked), for a camera that exists. Anything else is left to
/// the HTTP/1 upgrader, which refuses it with a bare 400; the same path asked without an upgrade
/// reaches the router, whose route answers 401, 404, or 426 asking for a WebSocket.
///
/// Messages: text `{"type": "start", "mime", "codecs", "width", "height"}` then the init segment
/// (binary); binary fragments; text `{"type": "skipped"}` when the viewer fell behind and goes on
/// from the next keyframe; text `{"type": "waiting"}` while the camera's stream is down.
struct LiveSocketController: Sendable {
    let feeds: LiveFeeds
    let authentication: AuthenticationMiddleware
    let enabled: Bool
    let database: @Sendable () -> any Database

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/cameras/{id}/live/ws", "Live view as fragmented MP4 over a WebSocket (upgrade request)", tag: "live",
                             access: .signedIn)
            .query("stream", "string", "main (default) or sub").returns(101, "Switching to the WebSocket protocol")
            .returns(404, "No such camera", "Error").returns(426, "Not a WebSocket upgrade, or WebSocket live view is off", "Error")) {
            _, context -> Response in
            let id = try context.uuid("id", of: "camera")
            guard try await CameraModel.find(id, on: database()) != nil else { throw APIError.notFound("No camera with id \(id)") }
            throw APIError(.upgradeRequired, "upgrade_required", enabled
                ? "Open this address as a WebSocket (live view), e.g. new WebSocket('wss://…/api/cameras/\(id.uuidString.lowercased())/live/ws')"
                : "Live view over WebSocket is off on this server (LIVE_WEBSOCKET=false); use the HLS playlist",
                headers: [.upgrade: "websocket"])
        }
    }

    /// The upgrade decision for `HTTPServerBuilder.http1WebSocketUpgrade`.
    func shouldUpgrade(_ request: HTTPRequest, logger: Logger) async throws
        -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard enabled, let target = request.path, let (camera, stream) = Self.target(target) else { return .dontUpgrade }
        if let origin = request.headerFields[.origin], !Self.sameSite(origin: origin, host: request.authority) {
            return .dontUpgrade
        }
        guard let token = Self.token(request.headerFields), let user = try await authentication.resolve(token) else { return .dontUpgrade }
        guard try await CameraModel.find(camera, on: database()) != nil else { return .dontUpgrade }
        let feed = try await feeds.feedForViewing(camera: camera, stream: stream)
        logger.info("Live view of camera \(camera) (\(stream.rawValue)) over WebSocket for '\(user.username)'")
        return .upgrade([:]) { inbound, outbound, _ in
            try await Self.serve(feed, inbound: inbound, outbound: outbound)
        }
    }

    /// Sends the feed to one viewer until either side ends.
    static func serve(_ feed: LiveFeed, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (id, queue) = feed.join()
        defer { feed.leave(id) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // The viewer's messages are not used; the stream ends when it closes.
                for try await _ in inbound {}
                queue.close()
            }
            group.addTask {
                while let message = await queue.next() {
                    switch message {
                    case .start(let start):
                        try await outbound.write(.text(Self.json(["type": "start", "mime": start.mimeType, "codecs": start.codecs,
                                                                   "width": start.width, "height": start.height])))
                        try await outbound.write(.binary(start.initSegment))
                    case .fragment(let bytes):
                        try await outbound.write(.binary(bytes))
                    case .skipped:
                        try await outbound.write(.text(#"{"type":"skipped"}"#))
                    case .waiting:
                        try await outbound.write(.text(#"{"type":"waiting"}"#))
                    }
                }
            }
            try await group.next()
            queue.close()
            group.cancelAll()
        }
    }

    /// The camera and stream of a WebSocket path (`/api/cameras/{id}/live/ws?stream=sub`).
    static func target(_ target: String) -> (UUID, LiveStreamKind)? {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let segments = parts[0].split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 6, segments[0].isEmpty, segments[1] == "api", segments[2] == "cameras", segments[4] == "live", segments[5] == "ws",
              let camera = UUID(uuidString: String(segments[3])) else { return nil }
        var stream = LiveStreamKind.main
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") where pair.hasPrefix("stream=") {
                guard let kind = LiveStreamKind(rawValue: String(pair.dropFirst(7))) else { return nil }
                stream = kind
            }
        }
        return (camera, stream)
    }

    /// A browser's `Origin` names the host the request went to (no other site's page may open it).
    static func sameSite(origin: String, host: String?) -> Bool {
        guard let host, let url = URLComponents(string: origin), let originHost = url.host else { return false }
        let port = url.port.map { ":\($0)" } ?? ""
        return (originHost + port).lowercased() == host.lowercased() || originHost.lowercased() == host.lowercased()
    }

    /// `Authorization: Bearer …`, else the session cookie.
    static func token(_ headers: HTTPFields) -> String? {
        if let header = headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            return parts.count == 2 && parts[0].lowercased() == "bearer" ? parts[1].trimmingCharacters(in: .whitespaces) : nil
        }
        for cookies in headers[values: .cookie] {
            for pair in cookies.split(separator: ";") {
                let part = pair.trimmingCharacters(in: .whitespaces)
                if part.hasPrefix(AuthenticationMiddleware.cookieName + "=") { return String(part.dropFirst(AuthenticationMiddleware.cookieName.count + 1)) }
            }
        }
        return nil
    }

    static func json(_ values: [String: (any Sendable)?]) -> String {
        let present = values.compactMapValues { $0 }
        return (try? String(decoding: JSONSerialization.data(withJSONObject: present, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)) ?? "{}"
    }
}

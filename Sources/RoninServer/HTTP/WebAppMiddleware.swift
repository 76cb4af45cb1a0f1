import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the built web UI from `RONIN_WEB_ROOT` for every non-API `GET`/`HEAD`, falling back
/// to `index.html` for client-side routes (`/setup`, `/users`, …) so deep links and reloads work.
struct WebAppMiddleware: RouterMiddleware {
    typealias Context = RoninRequestContext
    let root: String
    let files: FileMiddleware<Context, LocalFileSystem>

    init(root: String) {
        self.root = root
        files = FileMiddleware(root, cacheControl: .init([(MediaType(type: .any), [.noCache])]), searchForIndexHtml: true)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard request.method == .get || request.method == .head, !path.hasPrefix("/api/"), path != "/api" else {
            return try await next(request, context)
        }
        do {
            return try await files.handle(request, context: context, next: next)
        } catch let error as HTTPError where error.status == .notFound {
            // Asset-looking paths (with an extension) that do not exist are real 404s.
            if (path as NSString).pathExtension.isEmpty { return try indexResponse(request) }
            throw APIError.notFound("No file at \(ErrorMiddleware.printable(path))")
        }
    }

    private func indexResponse(_ request: Request) throws -> Response {
        guard let html = FileManager.default.contents(atPath: root + "/index.html") else {
            throw APIError(.serviceUnavailable, "web_ui_missing", "The web UI is not built (no index.html in \(root)); run `make build`")
        }
        let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"]
        let body = request.method == .head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: html))
        return Response(status: .ok, headers: headers, body: body)
    }
}

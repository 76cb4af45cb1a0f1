import Foundation
import Hummingbird
import Logging
import RoninCore

/// Logs one line per API request: method, path, status and duration; refused requests (401,
/// 403, 429, 503 and other 4xx) at `notice` with the client's address, so someone probing the
/// server shows up in the log. Query strings are left out (they may carry names or times a user
/// typed, or a token) and nothing of the body or headers is logged.
///
/// It sits outside `ErrorMiddleware`, so it sees the final status of every answer, errors too.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = RoninRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let path = request.uri.path
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let status = response.status.code
        let line: Logger.Message = "\(request.method) \(ErrorMiddleware.printable(path)) \(status) \(String(format: "%.1f", milliseconds)) ms"
        let api = path.hasPrefix("/api/")
        if api && (400..<500).contains(status) && status != 404 || status == 503 {
            context.logger.notice("Refused: \(line) from \(context.clientAddress)")
        } else if api && path != "/api/health" {
            context.logger.info(line)
        } else {
            context.logger.debug(line)
        }
        return response
    }
}

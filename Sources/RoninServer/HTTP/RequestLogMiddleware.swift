import Foundation
import Hummingbird
import RoninCore

/// Logs one line per API request: method, path, status and duration. Query strings are left
/// out (they may carry names or times a user typed) and nothing of the body is logged.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let path = request.uri.path
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let line: Logger.Message = "\(request.method) \(ErrorMiddleware.printable(path)) \(response.status.code) \(String(format: "%.1f", milliseconds)) ms"
        if path.hasPrefix("/api/") && path != "/api/health" {
            context.logger.info(line)
        } else {
            context.logger.debug(line)
        }
        return response
    }
}

import Logging

import Foundation
import Hummingbird

/// Serves footage that is not on a local disk (cold storage) to HTTP clients with ranges, the
/// way `FileResponder` serves local files: the player asks for pieces, and the footage is never
/// fetched whole before it plays.
protocol RemoteFootageResponder: Sendable {
    func respond(key: String, size: Int64, request: Request, context: RoninRequestContext, extraHeaders: HTTPFields) async throws -> Response
}

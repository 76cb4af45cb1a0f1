import Foundation
import HTTPTypes
import Hummingbird

/// Who may call an endpoint.
public enum Access: Sendable {
    /// Anyone, signed in or not.
    case open
    /// Any signed-in user (admin or viewer).
    case signedIn
    /// Admins only.
    case admin

    /// How the OpenAPI document names it (`x-access`).
    var name: String {
        switch self {
        case .open: "open"
        case .signedIn: "signed-in"
        case .admin: "admin"
        }
    }

    func check(_ context: RoninRequestContext) throws {
        switch self {
        case .open: return
        case .signedIn:
            guard context.user != nil else { throw APIError.unauthorized() }
        case .admin:
            guard let user = context.user else { throw APIError.unauthorized() }
            guard user.role == .admin else { throw APIError.forbidden("This needs an admin; you are signed in as a viewer") }
        }
    }
}

/// The description of one endpoint: the route, who may call it, and what OpenAPI says of it.
public struct APIOperation: Sendable {
    /// A query parameter an endpoint understands.
    public struct QueryParameter: Sendable {
        public let name: String
        public let type: String
        public let summary: String
    }

    /// One documented response.
    public struct ResponseDoc: Sendable {
        public let status: Int
        public let summary: String
        public let schema: String?
        public let contentType: String
    }

    public let method: HTTPRequest.Method
    public let path: String
    public let summary: String
    public let tag: String
    public let access: Access
    public var query: [QueryParameter] = []
    public var requestSchema: String? = nil
    public var responses: [ResponseDoc] = []
    /// Also answer `HEAD` (for file downloads, which players probe before fetching).
    public var answersHead = false

    public init(_ method: HTTPRequest.Method, _ path: String, _ summary: String, tag: String, access: Access) {
        self.method = method
        self.path = path
        self.summary = summary
        self.tag = tag
        self.access = access
    }

    public func query(_ name: String, _ type: String, _ summary: String) -> Self {
        var copy = self
        copy.query.append(.init(name: name, type: type, summary: summary))
        return copy
    }

    public func body(_ schema: String) -> Self {
        var copy = self
        copy.requestSchema = schema
        return copy
    }

    /// The same operation also answers `HEAD`, with headers only.
    public func withHead() -> Self {
        var copy = self
        copy.answersHead = true
        return copy
    }

    public func returns(_ status: Int, _ summary: String, _ schema: String? = nil, contentType: String = "application/json") -> Self {
        var copy = self
        copy.responses.append(.init(status: status, summary: summary, schema: schema, contentType: contentType))
        return copy
    }

    /// Path parameters, in order: `{id}` in `/api/cameras/{id}`.
    public var pathParameters: [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }

    /// Whether a concrete request path matches this operation's template.
    func matches(path requestPath: String) -> Bool {
        let template = path.split(separator: "/")
        let actual = requestPath.split(separator: "/")
        guard template.count == actual.count else { return false }
        return zip(template, actual).allSatisfy { pattern, value in pattern.hasPrefix("{") || pattern == value }
    }
}

/// Registers every API endpoint with the router and remembers its description, so the
/// OpenAPI document and the 405 answers are built from the same table the router uses.
public final class APIRouteTable: @unchecked Sendable {
    public private(set) var operations: [APIOperation] = []
    let router: Router<RoninRequestContext>

    init(router: Router<RoninRequestContext>) {
        self.router = router
    }

    /// Adds an endpoint. Access is enforced before `handler` runs.
    public func add<Output: ResponseGenerator>(
        _ operation: APIOperation,
        handler: @escaping @Sendable (Request, RoninRequestContext) async throws -> Output
    ) {
        operations.append(operation)
        if operation.answersHead {
            var head = APIOperation(.head, operation.path, operation.summary + " (headers only)", tag: operation.tag, access: operation.access)
            head.query = operation.query
            head.responses = operation.responses
            operations.append(head)
        }
        let routerPath = operation.path.split(separator: "/").map { segment in
            segment.hasPrefix("{") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
        let access = operation.access
        let methods: [HTTPRequest.Method] = operation.answersHead ? [operation.method, .head] : [operation.method]
        for method in methods {
            router.on(RouterPath("/" + routerPath), method: method) { request, context in
                try access.check(context)
                return try await handler(request, context)
            }
        }
    }

    /// The methods registered for a concrete path, for `405 Method Not Allowed`.
    func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        operations.filter { $0.matches(path: path) }.map(\.method)
    }
}

extension RoninRequestContext {
    /// A UUID path parameter, or `400` naming what was wrong.
    func uuid(_ name: String, of what: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw APIError.badRequest("'\(parameters.get(name) ?? "")' is not a valid \(what) id")
        }
        return id
    }

    /// The signed-in user; routes that call this are `.signedIn` or `.admin`.
    func requireUser() throws -> AuthenticatedUser {
        guard let user else { throw APIError.unauthorized() }
        return user
    }
}

extension Request {
    /// A boolean query flag: absent → `defaultValue`; `true/false/1/0/yes/no` accepted; anything else is `400`.
    func flag(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let raw = uri.queryParameters.get(name) else { return defaultValue }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.badRequest("Query parameter '\(name)' must be true or false, got '\(raw)'")
        }
    }
}

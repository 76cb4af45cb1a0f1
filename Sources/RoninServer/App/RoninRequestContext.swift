import Hummingbird
import NIOCore

/// Per-request state: the client's address (for login throttling) and the signed-in user,
/// once `AuthenticationMiddleware` has resolved a token.
public struct RoninRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The connection, so a long download whose client stopped reading can be closed.
    public let channel: any Channel
    public var user: AuthenticatedUser?

    /// JSON bodies are small; camera import raises its own limit (see `JSONBody`).
    public var maxUploadSize: Int { JSONBody.defaultLimit }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }

    /// The client's IP address as text, or "unknown".
    public var clientAddress: String {
        remoteAddress?.ipAddress ?? "unknown"
    }
}

import Foundation

/// What a camera pipeline is doing, for the API and the UI.
public struct PipelineStatus: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// ffmpeg is being started (first start, or after a restart).
        case starting
        /// Live view and recording are both advancing.
        case recording
        /// Live view is advancing; recording is switched off.
        case live
        /// The camera dropped or the pipeline stalled; waiting to reconnect.
        case reconnecting
        /// The last attempt failed in a way a user must look at (bad credentials, no such stream).
        case error
        /// Not running (camera disabled, or the server is stopping).
        case stopped
    }

    public var state: State
    public var since: Date
    public var lastError: String?
    public var restarts: Int

    public init(state: State, since: Date = Date(), lastError: String? = nil, restarts: Int = 0) {
        self.state = state
        self.since = since
        self.lastError = lastError
        self.restarts = restarts
    }
}

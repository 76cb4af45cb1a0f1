import ServiceLifecycle

/// Once at start-up, after reconciliation has had a moment to index what was left staged:
/// queues the analysis of every recording that has none (footage recorded while detection was
/// off or the server was down), newest first. Then it waits for shutdown like every other
/// service (a service that ends on its own while the group shuts down stops the group with an
/// error).
struct StartupBackfill: Service {
    let work: BackgroundWork

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3)) }
        if !Task.isShuttingDownGracefully { await work.backfill() }
        try? await gracefulShutdown()
    }
}

/// Service lifecycle logs its services by description: a name, not a dump of what it holds.
extension StartupBackfill: CustomStringConvertible {
    var description: String { "StartupBackfill" }
}

import ServiceLifecycle

/// Once at start-up, after reconciliation has had a moment to index what was left staged:
/// queues the analysis of every recording that has none (footage recorded while detection was
/// off or the server was down), newest first. Then ends; the server keeps running.
struct StartupBackfill: Service {
    let work: BackgroundWork

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3)) }
        guard !Task.isShuttingDownGracefully else { return }
        await work.backfill()
    }
}

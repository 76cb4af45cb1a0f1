import Foundation

extension BackgroundWork {
    /// The live detection of this process, in `role`, reading the cameras' streams on `taps`.
    func liveDetection(role: LiveDetectionService.Role, taps: LiveTaps) -> LiveDetectionService {
        let events = self.events
        let engine = self.engine
        return LiveDetectionService(
            role: role, engine: engine, settings: events.settingsStore, taps: taps, store: events.store, flow: events.flow,
            board: events.liveBoard, database: database, logger: logger,
            makeWatcher: { [settings, logger] camera in
                LiveCameraWatcher(camera: camera, taps: taps, engine: engine, settings: events.settingsStore, store: events.store,
                                  flow: events.flow, bus: events.bus, board: events.liveBoard, files: events.files, ffmpegPath: settings.ffmpegPath,
                                  ffprobePath: settings.ffprobePath, logger: logger)
            })
    }
}

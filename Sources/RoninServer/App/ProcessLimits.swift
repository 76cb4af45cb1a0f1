import Foundation
import Logging

/// Process-wide settings made once at start-up, before anything opens a file.
enum ProcessLimits {
    /// Files the NVR creates (recordings, the database, exports) are not readable by other
    /// users (umask 027; key files and the data folder are stricter still), and the open-files
    /// limit is raised to the hard limit, so hundreds of connections and cameras (each ffmpeg
    /// pipe and segment file is a descriptor) never run the process out of descriptors.
    static func prepare(logger: Logger) {
        umask(0o027)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let before = limit.rlim_cur
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
                logger.warning("Cannot raise the open-files limit above \(before)")
                return
            }
        }
        if limit.rlim_cur < 4096 {
            logger.warning("The open-files limit is \(limit.rlim_cur); raise it (LimitNOFILE) for many cameras or viewers")
        } else {
            logger.debug("Open-files limit \(limit.rlim_cur) (was \(before))")
        }
    }

    /// An existing SQLite database (and its journal files) is made readable by its owner only.
    static func restrict(databaseFiles path: String) {
        for file in [path, path + "-wal", path + "-shm", path + "-journal"] where FileManager.default.fileExists(atPath: file) {
            chmod(file, 0o600)
        }
    }
}

import Foundation
import Testing
@testable import RoninMedia

/// ffmpeg's `-progress` report: the position of the newest complete block.
@Suite(.timeLimit(.minutes(5))) struct FFmpegProgressTests {
    @Test func keepsThePositionOfTheNewestCompleteBlock() {
        let report = FFmpegProgress()
        #expect(report.mediaPosition == nil)
        report.append("frame=1\nout_time_us=N/A\nprogress=continue\n")
        #expect(report.mediaPosition == nil && report.framesWritten == 1)
        report.append("frame=40\nout_time_us=4000000\nout_ti")
        #expect(report.mediaPosition == nil, "a block counts once it is complete")
        report.append("me=00:00:04.000000\nprogress=continue\nframe=50\nout_time_us=5000")
        #expect(report.mediaPosition == 4_000_000 && report.framesWritten == 40)
        report.append("000\nprogress=end\n")
        #expect(report.mediaPosition == 5_000_000 && report.framesWritten == 50)
    }
}

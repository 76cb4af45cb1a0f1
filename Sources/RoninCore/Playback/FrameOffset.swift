import Foundation

/// Where in a file of footage to look for the picture of an instant.
///
/// A file covering `[start, end)` holds its last frame from up to one frame's duration before
/// `end`: asked for an offset after that frame, ffmpeg decodes nothing and makes no picture. So
/// an instant in the last `endMargin` of a file is shown by a frame a little earlier (at most
/// `endMargin`), which for any camera at 2 fps or more is its last frame or one just before it.
public enum FrameOffset {
    public static let endMargin: TimeInterval = 0.5

    /// The offset into the file of `span` at which to take the picture of `instant` (which lies
    /// in `span`).
    public static func of(_ instant: Date, in span: TimeSpan, endMargin: TimeInterval = endMargin) -> TimeInterval {
        let offset = max(0, instant.timeIntervalSince(span.start))
        return min(offset, max(0, span.seconds - endMargin))
    }
}

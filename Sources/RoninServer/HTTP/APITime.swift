import Foundation

/// Instants as the API and stored JSON write them: UTC ISO 8601 with `Z`, milliseconds when
/// there are any.
enum ISO8601 {
    static func string(_ date: Date) -> String {
        JSONResponse<Int>.iso8601(date)
    }

    static func date(_ text: String) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}

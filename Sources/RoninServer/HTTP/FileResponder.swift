import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Streams a file from disk with HTTP range support: `206 Partial Content` with
/// `Content-Range` for one byte range, `416` for ranges outside the file, a strong `ETag`
/// (size and modification time), `304` for a matching `If-None-Match`, and `If-Range`.
/// Files are read in chunks on NIO's thread pool; nothing loads a whole file into memory.
struct FileResponder {
    let fileIO = FileIO()

    func respond(path: String, contentType: String, request: Request, context: some RequestContext,
                 extraHeaders: HTTPFields = [:], cacheControl: String = "private, max-age=3600") async throws -> Response {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = (attributes[.size] as? NSNumber)?.intValue,
              (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw APIError.notFound("The file is not on disk")
        }
        let modified = (attributes[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        let etag = "\"\(String(size, radix: 16))-\(String(Int(modified.timeIntervalSince1970 * 1000), radix: 16))\""
        var headers = extraHeaders
        headers[.contentType] = contentType
        headers[.acceptRanges] = "bytes"
        headers[.eTag] = etag
        headers[.cacheControl] = cacheControl
        headers[.lastModified] = modified.httpDate

        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return Response(status: .notModified, headers: headers)
        }
        var range: ClosedRange<Int>? = nil
        if let rangeHeader = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true {
            guard let parsed = Self.parseRange(rangeHeader, size: size) else {
                headers[.contentRange] = "bytes */\(size)"
                throw APIError(.rangeNotSatisfiable, "range_not_satisfiable", "The requested range is outside the file (\(size) bytes)",
                               headers: [.contentRange: "bytes */\(size)"])
            }
            range = parsed
        }
        if let range {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = String(range.count)
            let body = request.method == .head ? ResponseBody() : try await fileIO.loadFile(path: path, range: range, context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        }
        headers[.contentLength] = String(size)
        let body = request.method == .head || size == 0 ? ResponseBody() : try await fileIO.loadFile(path: path, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    /// One `bytes=a-b`, `bytes=a-` or `bytes=-n` range, clamped to the file; nil when unsatisfiable.
    /// For several ranges only the first is served (a valid answer to a multi-range request).
    static func parseRange(_ header: String, size: Int) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let first = header.dropFirst(6).split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let parts = first.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int(parts[1]), suffix > 0 else { return nil }
            return max(0, size - suffix)...(size - 1)
        }
        guard let start = Int(parts[0]), start >= 0, start < size else { return nil }
        if parts[1].isEmpty { return start...(size - 1) }
        guard let end = Int(parts[1]), end >= start else { return nil }
        return start...min(end, size - 1)
    }
}

extension Date {
    /// RFC 7231 IMF-fixdate.
    var httpDate: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: self)
    }
}

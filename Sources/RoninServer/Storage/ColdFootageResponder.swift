import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves cold footage to browsers through the NVR, the way `FileResponder` serves local files:
/// one byte range (`206` with `Content-Range`), `416` outside the object, an `ETag`, and a body
/// streamed block by block from `ColdBlockCache`, so playback starts after the first block and a
/// seek fetches only the blocks it lands in.
struct ColdFootageResponder: RemoteFootageResponder {
    let store: ColdTierStore
    let cache: ColdBlockCache

    func respond(key: String, size: Int64, request: Request, context: RoninRequestContext, extraHeaders: HTTPFields) async throws -> Response {
        guard size > 0 else { throw APIError.notFound("The recording is empty") }
        let etag = "\"c\(String(size, radix: 16))-\(ColdBlockCache.name(key: key, size: size, index: 0).prefix(12))\""
        var headers = extraHeaders
        headers[.contentType] = "video/mp4"
        headers[.acceptRanges] = "bytes"
        headers[.eTag] = etag
        headers[.cacheControl] = "private, max-age=3600"
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return Response(status: .notModified, headers: headers)
        }
        var range = 0...Int(size - 1)
        var status = HTTPResponse.Status.ok
        if let header = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true {
            guard let parsed = FileResponder.parseRange(header, size: Int(size)) else {
                throw APIError(.rangeNotSatisfiable, "range_not_satisfiable", "The requested range is outside the file (\(size) bytes)",
                               headers: [.contentRange: "bytes */\(size)"])
            }
            range = parsed
            status = .partialContent
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
        }
        headers[.contentLength] = String(range.count)
        guard request.method != .head else { return Response(status: status, headers: headers) }
        // The first block is fetched before the answer starts, so a bucket that does not answer
        // is an error status, not a cut-off body.
        let first = range.lowerBound / ColdBlockCache.blockSize
        let firstBlock: Data
        do {
            firstBlock = try await block(key: key, size: size, index: first)
        } catch {
            context.logger.warning("Cold footage \(key) could not be read: \(error)")
            throw APIError(.badGateway, "cold_storage_unavailable", "The footage is in cold storage, which did not answer; try again")
        }
        let body = ResponseBody { [self, range] writer in
            var offset = range.lowerBound
            var index = first
            var data = firstBlock
            while offset <= range.upperBound {
                let blockStart = index * ColdBlockCache.blockSize
                let from = offset - blockStart
                let to = min(data.count, range.upperBound - blockStart + 1)
                guard from < to else { break }
                try await writer.write(ByteBuffer(bytes: data[data.startIndex + from..<data.startIndex + to]))
                offset = blockStart + to
                index += 1
                if offset <= range.upperBound { data = try await block(key: key, size: size, index: index) }
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    private func block(key: String, size: Int64, index: Int) async throws -> Data {
        let client = store.client
        return try await cache.block(key: key, size: size, index: index) { range in
            Data(buffer: try await client.get(key: key, range: range, maxBytes: ColdBlockCache.blockSize + 1))
        }
    }
}

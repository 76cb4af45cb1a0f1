import Foundation
import Hummingbird

/// Reads JSON request bodies strictly: the right media type, a size limit, and decoding errors
/// turned into 4xx responses that name the offending field.
public enum JSONBody {
    public static let defaultLimit = 1 << 20

    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = defaultLimit) async throws -> T {
        try decode(type, from: try await data(from: request, limit: limit))
    }

    /// The body's bytes, once its media type and size are checked (empty bodies are refused).
    public static func data(from request: Request, limit: Int = defaultLimit) async throws -> Data {
        try requireJSONContentType(request)
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body is larger than \(limit / 1024) KiB")
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("The request body is empty; expected a JSON object") }
        return Data(buffer: buffer)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty && context.debugDescription.hasPrefix("Cannot initialize") {
            // Well-formed JSON of the right type whose value is not one of the allowed ones (an enum).
            throw APIError.validation(describe(.dataCorrupted(context)))
        } catch let error as DecodingError {
            throw APIError.badRequest(describe(error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.badRequest("The request body is not valid JSON")
        }
    }

    static func requireJSONContentType(_ request: Request) throws {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") || type.contains("+json") else {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send the body as application/json")
        }
    }

    /// "field 'port': expected a whole number" and the like.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let names = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the body" : "field '\(names.joined(separator: "."))'"
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), got null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The request body is not valid JSON" }
            let detail = context.debugDescription.replacingOccurrences(of: "Cannot initialize ", with: "not a valid ")
            return "\(path(context.codingPath)): \(detail)"
        @unknown default:
            return "The request body could not be read"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: type == [String: Any].self ? "an object" : "a value of type \(type)"
        }
    }
}

/// A response with a JSON body and an explicit status.
public struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    public let status: HTTPResponse.Status
    public let value: Value
    public var headers: HTTPFields

    public init(_ value: Value, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) {
        self.value = value
        self.status = status
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.iso8601(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// UTC ISO 8601 with `Z`; milliseconds only when the instant has them, so whole-second
    /// instants read as before and segment boundaries keep their precision for seeking.
    static func iso8601(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let whole = Date(timeIntervalSince1970: (milliseconds / 1000).rounded(.down))
        let remainder = Int(milliseconds - (milliseconds / 1000).rounded(.down) * 1000)
        let text = whole.formatted(.iso8601)
        guard remainder != 0 else { return text }
        return String(text.dropLast()) + String(format: ".%03dZ", remainder)
    }
}

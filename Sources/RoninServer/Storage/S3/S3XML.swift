import Foundation

/// An element of the small XML documents S3 answers with (ListBucketResult, Error,
/// InitiateMultipartUploadResult, CompleteMultipartUploadResult): its name without namespace
/// prefix, its text with entities decoded, and its child elements in order.
struct S3XMLElement: Sendable, Equatable {
    var name: String
    var text = ""
    var children: [S3XMLElement] = []

    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }
    /// The text of the first child named `name`.
    func value(_ name: String) -> String? { child(name)?.text }
}

/// Reads S3's XML answers: elements, attributes (skipped), the XML declaration, comments and
/// CDATA; the five predefined entities and numeric character references. It is not a general
/// XML parser (no DTDs), which S3 never sends. Throws on a document that is not well-formed.
enum S3XML {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> S3XMLElement {
        let bytes = Array(text.utf8)
        var stack: [S3XMLElement] = []
        var root: S3XMLElement?
        var i = 0
        var pendingText: [UInt8] = []

        func flushText() throws {
            guard !pendingText.isEmpty else { return }
            if !stack.isEmpty {
                stack[stack.count - 1].text += try decodeEntities(pendingText)
            } else if pendingText.contains(where: { !isSpace($0) }) {
                throw Malformed(description: "text outside the root element")
            }
            pendingText.removeAll(keepingCapacity: true)
        }

        func find(_ needle: String, from start: Int) -> Int? {
            var j = start
            while j < bytes.count {
                if hasPrefix(bytes, needle, at: j) { return j }
                j += 1
            }
            return nil
        }

        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else {
                pendingText.append(bytes[i])
                i += 1
                continue
            }
            if hasPrefix(bytes, "<?", at: i) {
                guard let end = find("?>", from: i) else { throw Malformed(description: "unterminated declaration") }
                i = end + 2
            } else if hasPrefix(bytes, "<!--", at: i) {
                guard let end = find("-->", from: i) else { throw Malformed(description: "unterminated comment") }
                i = end + 3
            } else if hasPrefix(bytes, "<![CDATA[", at: i) {
                guard let end = find("]]>", from: i) else { throw Malformed(description: "unterminated CDATA") }
                try flushText()
                guard !stack.isEmpty else { throw Malformed(description: "CDATA outside the root element") }
                stack[stack.count - 1].text += String(decoding: bytes[(i + 9)..<end], as: UTF8.self)
                i = end + 3
            } else if hasPrefix(bytes, "<!", at: i) {
                guard let end = find(">", from: i) else { throw Malformed(description: "unterminated declaration") }
                i = end + 1
            } else {
                guard let end = find(">", from: i) else { throw Malformed(description: "unterminated tag") }
                try flushText()
                var inner = Array(bytes[(i + 1)..<end])
                i = end + 1
                if inner.first == UInt8(ascii: "/") {
                    let name = localName(tagName(Array(inner.dropFirst())))
                    guard var element = stack.popLast(), element.name == name else {
                        throw Malformed(description: "unexpected closing tag </\(name)>")
                    }
                    element.text = element.children.isEmpty ? element.text : element.text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if stack.isEmpty {
                        guard root == nil else { throw Malformed(description: "more than one root element") }
                        root = element
                    } else {
                        stack[stack.count - 1].children.append(element)
                    }
                    continue
                }
                let selfClosing = inner.last == UInt8(ascii: "/")
                if selfClosing { inner.removeLast() }
                let name = localName(tagName(inner))
                guard !name.isEmpty else { throw Malformed(description: "a tag without a name") }
                let element = S3XMLElement(name: name)
                if selfClosing {
                    if stack.isEmpty {
                        guard root == nil else { throw Malformed(description: "more than one root element") }
                        root = element
                    } else {
                        stack[stack.count - 1].children.append(element)
                    }
                } else {
                    stack.append(element)
                }
            }
        }
        try flushText()
        guard stack.isEmpty else { throw Malformed(description: "unclosed element <\(stack.last!.name)>") }
        guard let root else { throw Malformed(description: "no root element") }
        return root
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func hasPrefix(_ bytes: [UInt8], _ prefix: String, at index: Int) -> Bool {
        var j = index
        for byte in prefix.utf8 {
            guard j < bytes.count, bytes[j] == byte else { return false }
            j += 1
        }
        return true
    }

    /// The name in a tag's inside (`Key`, or `ListBucketResult xmlns="..."` → `ListBucketResult`).
    private static func tagName(_ inner: [UInt8]) -> String {
        String(decoding: inner.prefix { !isSpace($0) }, as: UTF8.self)
    }

    /// `s3:Key` → `Key`.
    private static func localName(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    static func decodeEntities(_ bytes: [UInt8]) throws -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { throw Malformed(description: "unterminated entity") }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "lt": out += "<"
            case "gt": out += ">"
            case "amp": out += "&"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var code: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    code = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    code = UInt32(entity.dropFirst(), radix: 10)
                }
                guard let code, let scalar = Unicode.Scalar(code) else { throw Malformed(description: "unknown entity &\(entity);") }
                out.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semi)...]
        }
        out += rest
        return out
    }

    /// Escapes text for an element's content.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }
}

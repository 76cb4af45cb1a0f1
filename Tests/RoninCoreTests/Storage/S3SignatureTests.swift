import Crypto
import Foundation
import RoninCore
import Testing

/// AWS Signature Version 4 against the worked examples AWS publishes (IAM's ListUsers, and the
/// S3 examples with `examplebucket`), and the encoding and ordering rules they rest on.
@Suite(.timeLimit(.minutes(2))) struct S3SignatureTests {
    static func date(_ iso: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: iso)!
    }

    // MARK: - AWS's published examples

    /// IAM ListUsers, from the SigV4 documentation ("Examples of the complete Signature Version 4
    /// signing process"): every intermediate value and the signature.
    @Test func iamListUsersExample() {
        let date = Self.date("2015-08-30T12:36:00Z")
        let signer = S3Signer(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                              region: "us-east-1", service: "iam")
        let request = S3SignableRequest(
            method: "GET", path: "/",
            query: [S3QueryItem("Version", "2010-05-08"), S3QueryItem("Action", "ListUsers")],
            headers: [S3Header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                      S3Header("Host", "iam.amazonaws.com"),
                      S3Header("X-Amz-Date", "20150830T123600Z")])
        let canonical = S3Signer.canonicalRequest(request, payloadHash: S3Signer.emptyPayloadHash)
        #expect(canonical == """
            GET
            /
            Action=ListUsers&Version=2010-05-08
            content-type:application/x-www-form-urlencoded; charset=utf-8
            host:iam.amazonaws.com
            x-amz-date:20150830T123600Z

            content-type;host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(S3Signer.payloadHash(Data(canonical.utf8)) == "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59")
        #expect(signer.stringToSign(canonicalRequest: canonical, date: date) == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/iam/aws4_request
            f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59
            """)
        let key = signer.signingKey(date: date).withUnsafeBytes { S3Signer.hex($0) }
        #expect(key == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
        #expect(signer.authorization(for: request, payloadHash: S3Signer.emptyPayloadHash, date: date) ==
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
    }

    static let s3Signer = S3Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                   region: "us-east-1")
    static let s3Date = date("2013-05-24T00:00:00Z")

    /// The presigned URL example of the S3 SigV4 documentation (query-string authentication).
    @Test func s3PresignedURLExample() {
        let query = Self.s3Signer.presignedQuery(path: "/test.txt", host: "examplebucket.s3.amazonaws.com", expires: 86_400, date: Self.s3Date)
        #expect(query == "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    func s3Authorization(_ request: S3SignableRequest, payloadHash: String) -> String {
        let signed = Self.s3Signer.signed(request, payloadHash: payloadHash, date: Self.s3Date)
        return signed.headers.first { $0.name == "Authorization" }!.value
    }

    /// The S3 documentation's GET Object example: a ranged read with an empty payload.
    @Test func s3GetObjectExample() {
        let request = S3SignableRequest(method: "GET", path: "/test.txt",
                                        headers: [S3Header("Host", "examplebucket.s3.amazonaws.com"), S3Header("Range", "bytes=0-9")])
        #expect(s3Authorization(request, payloadHash: S3Signer.emptyPayloadHash) ==
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// The S3 documentation's PUT Object example: a signed payload and a `$` in the key.
    @Test func s3PutObjectExample() {
        let body = Data("Welcome to Amazon S3.".utf8)
        let hash = S3Signer.payloadHash(body)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = S3SignableRequest(method: "PUT", path: "/test$file.text",
                                        headers: [S3Header("Host", "examplebucket.s3.amazonaws.com"),
                                                  S3Header("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                                                  S3Header("x-amz-storage-class", "REDUCED_REDUNDANCY")])
        #expect(S3Signer.canonicalURI(path: request.path) == "/test%24file.text")
        #expect(s3Authorization(request, payloadHash: hash) ==
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
            + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    /// The S3 documentation's ListObjects example: query parameters in the signature.
    @Test func s3ListObjectsExample() {
        let request = S3SignableRequest(method: "GET", path: "/", query: [S3QueryItem("prefix", "J"), S3QueryItem("max-keys", "2")],
                                        headers: [S3Header("Host", "examplebucket.s3.amazonaws.com")])
        #expect(s3Authorization(request, payloadHash: S3Signer.emptyPayloadHash) ==
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
            + "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    /// The S3 documentation's GET Bucket Lifecycle example: a query parameter without a value.
    @Test func s3GetLifecycleExample() {
        let request = S3SignableRequest(method: "GET", path: "/", query: [S3QueryItem("lifecycle")],
                                        headers: [S3Header("Host", "examplebucket.s3.amazonaws.com")])
        #expect(S3Signer.canonicalQuery(request.query) == "lifecycle=")
        #expect(s3Authorization(request, payloadHash: S3Signer.emptyPayloadHash) ==
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
            + "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    // MARK: - Encoding and ordering

    @Test func encodesEverythingButUnreservedCharacters() {
        #expect(S3Signer.uriEncode("AZaz09-_.~") == "AZaz09-_.~")
        #expect(S3Signer.uriEncode("a b") == "a%20b", "a space is %20, never +")
        #expect(S3Signer.uriEncode("a+b=c&d*e") == "a%2Bb%3Dc%26d%2Ae")
        #expect(S3Signer.uriEncode("%41") == "%2541", "a percent sign is encoded, not trusted")
        #expect(S3Signer.uriEncode("é") == "%C3%A9", "UTF-8 bytes, uppercase hex")
        #expect(S3Signer.uriEncode("日本") == "%E6%97%A5%E6%9C%AC")
        #expect(S3Signer.uriEncode("🎥") == "%F0%9F%8E%A5")
        #expect(S3Signer.uriEncode("a/b") == "a%2Fb")
        #expect(S3Signer.uriEncode("a/b", keepingSlash: true) == "a/b")
    }

    @Test func pathsKeepTheirSlashesAndEverySegmentIsEncoded() {
        #expect(S3Signer.canonicalURI(path: "") == "/")
        #expect(S3Signer.canonicalURI(path: "/") == "/")
        #expect(S3Signer.canonicalURI(path: "/bucket/cam 1/2026-05-01/10:00:00~x.mp4") == "/bucket/cam%201/2026-05-01/10%3A00%3A00~x.mp4")
        #expect(S3Signer.canonicalURI(path: "/b//a/./c/../d") == "/b//a/./c/../d", "S3 does not normalise paths")
        #expect(S3Signer.canonicalURI(path: "key") == "/key")
    }

    @Test func queryIsSortedByEncodedNameThenValue() {
        let items = [S3QueryItem("b", "2"), S3QueryItem("a", "1"), S3QueryItem("a", "0"), S3QueryItem("B", "x"),
                     S3QueryItem("a-b", ""), S3QueryItem("a b", "y z"), S3QueryItem("prefix", "cam 1/é")]
        #expect(S3Signer.canonicalQuery(items) == "B=x&a=0&a=1&a%20b=y%20z&a-b=&b=2&prefix=cam%201%2F%C3%A9")
        #expect(S3Signer.canonicalQuery([]) == "")
    }

    @Test func headersAreLowercasedTrimmedSortedAndCombined() {
        let headers = [S3Header("X-Amz-Meta-B", "  two   words  here "), S3Header("Host", "h"),
                       S3Header("x-amz-meta-a", "1"), S3Header("X-AMZ-META-A", "2")]
        let canonical = S3Signer.canonicalHeaders(headers)
        #expect(canonical.block == "host:h\nx-amz-meta-a:1,2\nx-amz-meta-b:two words here\n")
        #expect(canonical.signed == "host;x-amz-meta-a;x-amz-meta-b")
    }

    @Test func timestampsAreUTCWholeSeconds() {
        let date = Self.date("2026-12-31T23:59:59Z").addingTimeInterval(0.75)
        #expect(S3Signer.timestamp(date) == "20261231T235959Z")
        #expect(S3Signer.dateStamp(date) == "20261231")
    }

    @Test func signingReplacesEarlierAuthenticationHeaders() {
        let request = S3SignableRequest(method: "GET", path: "/k", headers: [S3Header("host", "h"), S3Header("Authorization", "old"),
                                                                               S3Header("X-Amz-Date", "old")])
        let signed = Self.s3Signer.signed(request, payloadHash: S3Signer.unsignedPayload, date: Self.s3Date)
        #expect(signed.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(signed.headers.contains(S3Header("x-amz-date", "20130524T000000Z")))
        #expect(signed.headers.contains(S3Header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")))
    }

    @Test func everyInputChangesTheSignature() {
        let base = S3SignableRequest(method: "GET", path: "/k", query: [S3QueryItem("a", "1")], headers: [S3Header("host", "h")])
        let reference = s3Authorization(base, payloadHash: S3Signer.unsignedPayload)
        var variants: [(S3SignableRequest, String)] = []
        var r = base; r.method = "PUT"; variants.append((r, S3Signer.unsignedPayload))
        r = base; r.path = "/K"; variants.append((r, S3Signer.unsignedPayload))
        r = base; r.query = [S3QueryItem("a", "2")]; variants.append((r, S3Signer.unsignedPayload))
        r = base; r.headers = [S3Header("host", "h2")]; variants.append((r, S3Signer.unsignedPayload))
        variants.append((base, S3Signer.emptyPayloadHash))
        for (request, hash) in variants {
            #expect(s3Authorization(request, payloadHash: hash) != reference)
        }
        let otherSecret = S3Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "another", region: "us-east-1")
        let otherRegion = S3Signer(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "eu-west-1")
        for signer in [otherSecret, otherRegion] {
            #expect(signer.authorization(for: base, payloadHash: S3Signer.unsignedPayload, date: Self.s3Date)
                != Self.s3Signer.authorization(for: base, payloadHash: S3Signer.unsignedPayload, date: Self.s3Date))
        }
    }

    @Test func theSecretNeverShows() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        let request = S3SignableRequest(method: "GET", path: "/k", headers: [S3Header("host", "h")])
        let signed = Self.s3Signer.signed(request, payloadHash: S3Signer.unsignedPayload, date: Self.s3Date)
        var dumped = ""
        dump(Self.s3Signer, to: &dumped)
        for text in [String(describing: Self.s3Signer), String(reflecting: Self.s3Signer), dumped, "\(signed)"] {
            #expect(!text.contains(secret))
            #expect(!text.contains("EXAMPLEKEY"))
        }
        #expect(String(describing: Self.s3Signer).contains("AKIAIOSFODNN7EXAMPLE"))
    }

    @Test func emptyPayloadHashIsTheHashOfNothing() {
        #expect(S3Signer.payloadHash(Data()) == S3Signer.emptyPayloadHash)
    }
}

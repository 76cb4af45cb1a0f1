import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RoninCore
import Testing
@testable import RoninServer

/// The S3 client against a real S3 API: moto's server from the project's virtual environment,
/// started for each test on a free port with signature checking on (an IAM user whose key
/// the test creates), and stopped when the test ends.
@Suite(.serialized, .timeLimit(.minutes(5))) struct S3ClientTests {
    static let mebibyte = 1_048_576

    func client(_ moto: MotoServer, bucket: String, keyPrefix: String = "", secret: String? = nil,
                limiter: BandwidthLimiter? = nil, adjust: (inout S3Configuration) -> Void = { _ in }) throws -> S3Client {
        var configuration = S3Configuration(endpoint: moto.endpoint, bucket: bucket, region: "us-east-1",
                                            accessKeyID: moto.accessKeyID, secretAccessKey: secret ?? moto.secretAccessKey,
                                            keyPrefix: keyPrefix, pathStyle: true)
        configuration.retry = S3RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(5), maxDelay: .milliseconds(20))
        adjust(&configuration)
        return try S3Client(configuration: configuration, limiter: limiter)
    }

    @Test func uploadsASmallFileInOnePutAndReadsItBack() async throws {
        try await withMoto { moto, folder in
            let s3 = try client(moto, bucket: "ronin-small")
            try await s3.createBucket()
            let path = folder + "/segment.mp4"
            let bytes = try writeFile(path, size: 300_001, seed: 1)
            let key = "cam 1/2026-05-01/10:00:00 é+~.mp4"

            let put = try await s3.putObject(key: key, file: path)
            #expect(put.parts == 0 && put.size == 300_001)
            #expect(put.sha256 == hex(SHA256.hash(data: bytes)))

            let info = try #require(try await s3.head(key: key))
            #expect(info.key == key && info.size == 300_001)
            #expect(info.sha256 == hex(SHA256.hash(data: bytes)), "x-amz-meta-sha256 holds the file's SHA-256")
            #expect(info.checksumSHA256 == Data(SHA256.hash(data: bytes)).base64EncodedString(), "S3's checksum is the file's SHA-256")
            #expect(info.contentType == "video/mp4")
            #expect(!info.etag.isEmpty && !info.etag.contains("\""))

            let slice = try await s3.get(key: key, range: 1_000...1_999)
            #expect(Data(slice.readableBytesView) == bytes[1_000...1_999])
            let tail = try await s3.get(key: key, range: 299_990...400_000)
            #expect(Data(tail.readableBytesView) == bytes[299_990...], "a range past the end gives the bytes there are")
            let whole = try await s3.get(key: key)
            #expect(Data(whole.readableBytesView) == bytes)

            let copy = folder + "/restored.mp4"
            let download = try await s3.download(key: key, to: copy)
            #expect(download.verified && download.bytes == 300_001)
            #expect(FileManager.default.contents(atPath: copy) == bytes)

            let empty = folder + "/empty.mp4"
            _ = try writeFile(empty, size: 0, seed: 0)
            let putEmpty = try await s3.putObject(key: "cam 1/empty.mp4", file: empty)
            #expect(putEmpty.size == 0 && putEmpty.sha256 == S3Signer.emptyPayloadHash)
            #expect(try await s3.head(key: "cam 1/empty.mp4")?.size == 0)

            #expect(try await s3.head(key: "cam 1/none.mp4") == nil)
            let missing = await #expect(throws: S3Error.self) { try await s3.get(key: "cam 1/none.mp4") }
            #expect(missing?.status == 404 && missing?.code == "NoSuchKey" && missing?.attempts == 1)
            #expect(missing?.description.contains("GetObject of 'cam 1/none.mp4'") == true)
        }
    }

    @Test func uploadsALargeFileInPartsWithChecksums() async throws {
        try await withMoto { moto, folder in
            let s3 = try client(moto, bucket: "ronin-multipart")
            try await s3.createBucket()
            let path = folder + "/long.mp4"
            let size = 70 * Self.mebibyte + 12_345
            let sha = try writeLargeFile(path, size: size, seed: 2)

            let put = try await s3.putObject(key: "cam-2/long.mp4", file: path)
            #expect(put.parts == 5, "70 MiB in parts of 16 MiB")
            #expect(put.sha256 == sha)

            let info = try #require(try await s3.head(key: "cam-2/long.mp4"))
            #expect(info.size == Int64(size) && info.sha256 == sha)
            // S3's checksum of a multipart object is the SHA-256 of its parts' SHA-256s (moto
            // computes it from the parts it received, and leaves out the "-5" that AWS appends).
            var partDigests = Data()
            for start in stride(from: Int64(0), to: Int64(size), by: 16 * Self.mebibyte) {
                partDigests.append(contentsOf: SHA256.hash(data: try readFile(path, range: start..<min(Int64(size), start + Int64(16 * Self.mebibyte)))))
            }
            let composite = Data(SHA256.hash(data: partDigests)).base64EncodedString()
            let checksum = try #require(info.checksumSHA256)
            #expect(checksum == composite || checksum == composite + "-5")
            #expect(checksum == put.checksumSHA256)

            // Across the boundary of the first and second part.
            let boundary = Int64(16 * Self.mebibyte)
            let slice = try await s3.get(key: "cam-2/long.mp4", range: (boundary - 100)...(boundary + 99))
            let expectedSlice = try readFile(path, range: (boundary - 100)..<(boundary + 100))
            #expect(Data(slice.readableBytesView) == expectedSlice)

            let copy = folder + "/restored.mp4"
            let download = try await s3.download(key: "cam-2/long.mp4", to: copy)
            #expect(download.verified && download.sha256 == sha && download.bytes == Int64(size))
        }
    }

    @Test func listsInPagesUnderThePrefix() async throws {
        try await withMoto { moto, folder in
            let root = try client(moto, bucket: "ronin-list")
            try await root.createBucket()
            let site = try client(moto, bucket: "ronin-list", keyPrefix: "/site-1/")
            let path = folder + "/small.bin"
            _ = try writeFile(path, size: 10, seed: 3)
            let keys = ["a/1 one.mp4", "a/2+two.mp4", "a/3~three.mp4", "a/4/é.mp4", "a/5.mp4", "b/1.mp4"]
            for key in keys { try await site.putObject(key: key, file: path) }
            try await root.putObject(key: "a/outside.mp4", file: path)

            var pages: [[String]] = []
            var continuation: String?
            repeat {
                let page = try await site.list(prefix: "a/", continuation: continuation, maxKeys: 2)
                pages.append(page.objects.map(\.key))
                #expect(page.objects.allSatisfy { $0.size == 10 && !$0.etag.isEmpty && $0.lastModified != nil })
                continuation = page.nextContinuation
            } while continuation != nil && pages.count < 10
            #expect(pages == [["a/1 one.mp4", "a/2+two.mp4"], ["a/3~three.mp4", "a/4/é.mp4"], ["a/5.mp4"]])

            let everything = try await root.list()
            #expect(everything.objects.map(\.key) == ["a/outside.mp4"] + keys.map { "site-1/" + $0 })
            #expect(everything.nextContinuation == nil)
            #expect(try await site.list(prefix: "zzz/").objects.isEmpty)
        }
    }

    @Test func deletesObjects() async throws {
        try await withMoto { moto, folder in
            let s3 = try client(moto, bucket: "ronin-delete")
            try await s3.createBucket()
            let path = folder + "/small.bin"
            _ = try writeFile(path, size: 1_000, seed: 4)
            try await s3.putObject(key: "x/keep.bin", file: path)
            try await s3.putObject(key: "x/drop.bin", file: path)

            try await s3.delete(key: "x/drop.bin")
            #expect(try await s3.head(key: "x/drop.bin") == nil)
            #expect(try await s3.head(key: "x/keep.bin") != nil)
            #expect(try await s3.list(prefix: "x/").objects.map(\.key) == ["x/keep.bin"])
            try await s3.delete(key: "x/drop.bin")  // gone already: still fine
        }
    }

    @Test func aPresignedURLServesTheObjectToAPlainGET() async throws {
        try await withMoto { moto, folder in
            let s3 = try client(moto, bucket: "ronin-presign")
            try await s3.createBucket()
            let path = folder + "/clip.mp4"
            let bytes = try writeFile(path, size: 5_000, seed: 5)
            try await s3.putObject(key: "clips/event 7.mp4", file: path)

            let url = try s3.presignedGetURL(key: "clips/event 7.mp4", expires: .seconds(600))
            let query = try #require(URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems)
            #expect(query.first { $0.name == "X-Amz-Expires" }?.value == "600")
            #expect(query.first { $0.name == "X-Amz-Signature" }?.value?.count == 64)
            #expect(url.path == "/ronin-presign/clips/event 7.mp4")
            #expect(!url.absoluteString.contains(moto.secretAccessKey))

            // moto checks no query-string signature and fails on one while checking headers
            // signatures, so header checking is off for this one plain GET.
            try await moto.checkSignatures(false)
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url.absoluteString), timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1_000_000)
            try await moto.checkSignatures(true)
            #expect(response.status == .ok)
            #expect(Data(body.readableBytesView) == bytes)

            #expect(throws: S3Error.self) { try s3.presignedGetURL(key: "clips/event 7.mp4", expires: .seconds(8 * 86_400)) }
        }
    }

    @Test func aWrongSecretIsRefusedWith403AndNeverShown() async throws {
        try await withMoto { moto, folder in
            let good = try client(moto, bucket: "ronin-auth")
            try await good.createBucket()
            let path = folder + "/small.bin"
            _ = try writeFile(path, size: 100, seed: 6)
            try await good.putObject(key: "k.bin", file: path)

            let wrongSecret = "Wr0ngSecretKeyThatMustNeverBeShown/xyz"
            let bad = try client(moto, bucket: "ronin-auth", secret: wrongSecret)
            let listing = await #expect(throws: S3Error.self) { try await bad.list() }
            #expect(listing?.status == 403 && listing?.code == "SignatureDoesNotMatch")
            #expect(listing?.attempts == 1, "a 4xx is not retried")
            let upload = await #expect(throws: S3Error.self) { try await bad.putObject(key: "k2.bin", file: path) }
            #expect(upload?.status == 403 && upload?.operation == .putObject)
            let head = await #expect(throws: S3Error.self) { try await bad.head(key: "k.bin") }
            #expect(head?.status == 403)
            for error in [listing, upload, head].compactMap({ $0 }) {
                let text = "\(error) \(String(reflecting: error))"
                #expect(!text.contains(wrongSecret) && !text.contains(moto.secretAccessKey))
                #expect(!text.contains("Signature="))
            }
            #expect(!"\(bad.configuration)".contains(wrongSecret))
            #expect(try await good.head(key: "k2.bin") == nil, "nothing was stored by the refused upload")
        }
    }

    @Test func aBandwidthLimitPacesEveryUploadedByte() async throws {
        try await withMoto { moto, folder in
            let clock = ManualClock()
            let limiter = BandwidthLimiter(bytesPerSecond: Self.mebibyte, burst: 65_536,
                                           now: { clock.now() }, sleep: { clock.advance($0) })
            let s3 = try client(moto, bucket: "ronin-throttle", limiter: limiter) {
                $0.singlePutLimit = Int64(5 * Self.mebibyte)
                $0.partSize = Int64(5 * Self.mebibyte)
            }
            try await s3.createBucket()
            let path = folder + "/paced.mp4"
            let size = 12 * Self.mebibyte
            let sha = try writeLargeFile(path, size: size, seed: 7)

            let put = try await s3.putObject(key: "paced.mp4", file: path)
            #expect(put.parts == 3 && put.sha256 == sha)
            #expect(await limiter.bytesAdmitted == Int64(size), "every byte sent went through the limiter, once")
            #expect(await limiter.pauses > 0)
            // At 1 MiB/s with 64 KiB of burst, 12 MiB take 12 s less the burst: on the limiter's clock.
            let expected = BandwidthLimiter.duration(bytes: size - 65_536, rate: Self.mebibyte)
            #expect(clock.now() > expected - .microseconds(1) && clock.now() < expected + .microseconds(1))

            let unpaced = try client(moto, bucket: "ronin-throttle")
            #expect(unpaced.limiter == nil)
            let small = folder + "/small.bin"
            _ = try writeFile(small, size: 1_000, seed: 8)
            try await unpaced.putObject(key: "small.bin", file: small)
            #expect(await limiter.bytesAdmitted == Int64(size), "a client without a limit does not use another's")
        }
    }

    @Test func aFailedMultipartUploadIsAbortedAndLeavesNoParts() async throws {
        try await withMoto { moto, folder in
            // The limiter's 25th pause fails, in the middle of the second part.
            let pausesBeforeFailure = RequestCounter()
            let limiter = BandwidthLimiter(bytesPerSecond: Self.mebibyte, burst: 0, now: { .zero }, sleep: { _ in
                if await pausesBeforeFailure.next("pause") >= 25 { throw LocalFileError(path: "paced.mp4", reason: "stopped by the test") }
            })
            let s3 = try client(moto, bucket: "ronin-abort", limiter: limiter) {
                $0.singlePutLimit = Int64(5 * Self.mebibyte)
                $0.partSize = Int64(5 * Self.mebibyte)
            }
            try await s3.createBucket()
            let uploads = { () async throws -> [String] in
                try await s3.perform(.listObjects, key: nil, method: .GET, storedKey: nil, query: [S3QueryItem("uploads")]) { response in
                    let root = try S3XML.parse(String(buffer: try await response.body.collect(upTo: 1_048_576)))
                    return root.children("Upload").compactMap { $0.value("Key") }
                }
            }
            // A control: an upload left open is listed.
            try await s3.perform(.createMultipartUpload, key: "open.mp4", method: .POST, storedKey: "open.mp4",
                                 query: [S3QueryItem("uploads")]) { response in _ = try await response.body.collect(upTo: 1_048_576) }
            #expect(try await uploads() == ["open.mp4"])

            let path = folder + "/paced.mp4"
            _ = try writeLargeFile(path, size: 12 * Self.mebibyte, seed: 9)
            let error = await #expect(throws: S3Error.self) { try await s3.putObject(key: "paced.mp4", file: path) }
            #expect(error?.operation == .uploadPart && error?.key == "paced.mp4")
            #expect(try await uploads() == ["open.mp4"], "the failed upload was aborted")
            #expect(try await s3.head(key: "paced.mp4") == nil)
        }
    }

    @Test func aMissingLocalFileIsAClearErrorAndNothingIsSent() async throws {
        try await withMoto { moto, folder in
            let s3 = try client(moto, bucket: "ronin-missing")
            try await s3.createBucket()
            let error = await #expect(throws: S3Error.self) { try await s3.putObject(key: "k.mp4", file: folder + "/nope.mp4") }
            #expect(error?.kind == .localFile && error?.attempts == 1)
            #expect(error?.description.contains("nope.mp4") == true)
            #expect(try await s3.list().objects.isEmpty)
        }
    }

    // MARK: - Files

    func writeFile(_ path: String, size: Int, seed: UInt64) throws -> Data {
        var generator = SplitMix64(seed: seed)
        let data = Data((0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        try data.write(to: URL(fileURLWithPath: path))
        return data
    }

    /// Writes `size` pseudo-random bytes a mebibyte at a time; returns their hex SHA-256.
    func writeLargeFile(_ path: String, size: Int, seed: UInt64) throws -> String {
        var generator = SplitMix64(seed: seed)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var hasher = SHA256()
        var left = size
        while left > 0 {
            let count = min(left, Self.mebibyte)
            var chunk = [UInt8](repeating: 0, count: count)
            chunk.withUnsafeMutableBytes { raw in
                let words = raw.bindMemory(to: UInt64.self)
                for i in words.indices { words[i] = generator.next() }
            }
            if count % 8 != 0 { for i in (count - count % 8)..<count { chunk[i] = UInt8(truncatingIfNeeded: generator.next()) } }
            hasher.update(data: chunk)
            try handle.write(contentsOf: chunk)
            left -= count
        }
        return hex(hasher.finalize())
    }

    func readFile(_ path: String, range: Range<Int64>) throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(range.lowerBound))
        return try handle.read(upToCount: range.count) ?? Data()
    }

    func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// The client's parts that need no server: configuration, addresses, XML, pacing, retries,
/// digests; and retries against a small local server that answers what the test says.
@Suite(.timeLimit(.minutes(2))) struct S3ClientPartsTests {
    static let secret = "s3cr3t/Key+With=Symbols0123456789"

    func configuration(_ endpoint: String = "https://s3.eu-central-1.amazonaws.com", pathStyle: Bool = false,
                       prefix: String = "") -> S3Configuration {
        S3Configuration(endpoint: URL(string: endpoint)!, bucket: "footage", region: "eu-central-1",
                        accessKeyID: "AKIDTEST", secretAccessKey: Self.secret, keyPrefix: prefix, pathStyle: pathStyle)
    }

    @Test func theConfigurationNeverShowsTheSecret() {
        let config = configuration()
        var dumped = ""
        dump(config, to: &dumped)
        for text in ["\(config)", String(reflecting: config), dumped] {
            #expect(!text.contains(Self.secret) && !text.contains("s3cr3t"))
            #expect(text.contains("AKIDTEST") && text.contains("footage"))
        }
    }

    @Test func addressesFollowTheAddressingStyle() {
        let virtual = configuration().address(storedKey: "cam 1/10:00.mp4")
        #expect(virtual.host == "footage.s3.eu-central-1.amazonaws.com")
        #expect(virtual.url() == "https://footage.s3.eu-central-1.amazonaws.com/cam%201/10%3A00.mp4")
        #expect(configuration().address(storedKey: nil).url(query: "list-type=2") == "https://footage.s3.eu-central-1.amazonaws.com/?list-type=2")

        let path = configuration("http://127.0.0.1:9000", pathStyle: true).address(storedKey: "a/é.mp4")
        #expect(path.host == "127.0.0.1:9000" && path.path == "/footage/a/é.mp4")
        #expect(path.url() == "http://127.0.0.1:9000/footage/a/%C3%A9.mp4")
        #expect(configuration("http://minio.lan:9000/", pathStyle: true).address(storedKey: nil).path == "/footage")
        #expect(configuration("https://gw.lan/s3/", pathStyle: true).address(storedKey: "k").path == "/s3/footage/k")
    }

    @Test func keysLiveUnderThePrefix() throws {
        let config = configuration(prefix: "/site-1/")
        #expect(config.keyPrefix == "site-1")
        #expect(config.storedKey("cam/x.mp4") == "site-1/cam/x.mp4")
        #expect(config.relativeKey("site-1/cam/x.mp4") == "cam/x.mp4")
        #expect(config.relativeKey("site-10/cam/x.mp4") == nil)
        #expect(configuration().storedKey("x") == "x")
        let s3 = try S3Client(configuration: config)
        #expect(throws: S3Error.self) { try s3.storedKey("", for: .putObject) }
        #expect(throws: S3Error.self) { try s3.storedKey(String(repeating: "k", count: 1_020), for: .putObject) }
    }

    @Test func badConfigurationsAreRefused() {
        var config = configuration()
        config.partSize = 1_000_000
        #expect(config.problem != nil)
        config = configuration("ftp://host")
        #expect(config.problem != nil)
        config = configuration()
        config.bucket = "No_Such"
        #expect(config.problem != nil)
        #expect(throws: S3Client.InvalidConfiguration.self) { try S3Client(configuration: config) }
        #expect(configuration().problem == nil)
    }

    @Test func readsS3XML() throws {
        let root = try S3XML.parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>footage</Name><Prefix/>
              <!-- a comment --><Contents><Key>a &amp; b &lt;c&gt; &#233;&#x4E2D;</Key><ETag>&quot;abc&quot;</ETag><Size>12</Size></Contents>
              <Contents><Key><![CDATA[x<y]]></Key><Size>1</Size></Contents>
              <IsTruncated>false</IsTruncated></ListBucketResult>
            """)
        #expect(root.name == "ListBucketResult" && root.value("Name") == "footage" && root.value("Prefix") == "")
        #expect(root.children("Contents").map { $0.value("Key") } == ["a & b <c> é中", "x<y"])
        #expect(root.children("Contents").first?.value("ETag") == "\"abc\"")
        #expect(throws: S3XML.Malformed.self) { try S3XML.parse("<a><b></a>") }
        #expect(throws: S3XML.Malformed.self) { try S3XML.parse("<a>&bogus;</a>") }
        #expect(throws: S3XML.Malformed.self) { try S3XML.parse("no xml") }
        #expect(S3XML.escape("<a&'\">") == "&lt;a&amp;&apos;&quot;&gt;")
        #expect(S3Client.formDecoded("a+b%2Bc%20d%C3%A9") == "a b+c dé")
    }

    @Test func theLimiterAdmitsABurstThenPacesAtTheRate() async throws {
        let clock = ManualClock()
        let limiter = BandwidthLimiter(bytesPerSecond: 1_000, burst: 500, now: { clock.now() }, sleep: { clock.advance($0) })
        try await limiter.admit(500)
        #expect(clock.now() == .zero, "the burst goes at once")
        #expect(await limiter.pauses == 0)
        try await limiter.admit(1_000)
        #expect(clock.now() == .seconds(1))
        #expect(await limiter.pauses == 1)
        for _ in 0..<10 { try await limiter.admit(100) }
        #expect(clock.now() == .seconds(2))
        #expect(await limiter.bytesAdmitted == 2_500)
        #expect(await limiter.totalPause == .seconds(2))
        // Idle time earns back the burst, no more.
        clock.advance(.seconds(60))
        try await limiter.admit(500)
        #expect(clock.now() == .seconds(62))
        try await limiter.admit(1)
        #expect(clock.now() > .seconds(62))
    }

    @Test func retriesOnlyWhatAnotherAttemptCanFix() {
        let policy = S3RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), maxDelay: .milliseconds(300))
        #expect(policy.shouldRetry(.network))
        #expect(policy.shouldRetry(.http(status: 500, code: "InternalError")))
        #expect(policy.shouldRetry(.http(status: 503, code: "SlowDown")))
        #expect(policy.shouldRetry(.http(status: 200, code: "InternalError")), "a 200 reporting a failure in its body")
        #expect(!policy.shouldRetry(.http(status: 403, code: "SignatureDoesNotMatch")))
        #expect(!policy.shouldRetry(.http(status: 404, code: "NoSuchKey")))
        #expect(!policy.shouldRetry(.http(status: 400, code: "SlowDown")))
        #expect(!policy.shouldRetry(.integrity) && !policy.shouldRetry(.localFile) && !policy.shouldRetry(.invalidRequest))
        for _ in 0..<20 {
            #expect((.milliseconds(50)...(.milliseconds(100))).contains(policy.delay(beforeAttempt: 2)))
            #expect((.milliseconds(100)...(.milliseconds(200))).contains(policy.delay(beforeAttempt: 3)))
            #expect((.milliseconds(150)...(.milliseconds(300))).contains(policy.delay(beforeAttempt: 4)), "capped")
            #expect((.milliseconds(150)...(.milliseconds(300))).contains(policy.delay(beforeAttempt: 40)))
        }
    }

    @Test func digestsHashTheWholeAndEachPart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-digest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = Data((0..<10).map { UInt8($0) })
        try bytes.write(to: URL(fileURLWithPath: folder + "/f"))
        let file = try await LocalFileReader.open(folder + "/f")
        let digest = try await FileDigest.compute(file, partSize: 4)
        #expect(digest.size == 10 && digest.sha256 == Array(SHA256.hash(data: bytes)))
        #expect(digest.parts == [bytes[0..<4], bytes[4..<8], bytes[8..<10]].map { Array(SHA256.hash(data: $0)) })
        #expect(digest.partRange(2) == 8..<10)
        let composite = Data(SHA256.hash(data: digest.parts.flatMap { $0 })).base64EncodedString() + "-3"
        #expect(digest.compositeChecksum == composite)
        let whole = try await FileDigest.compute(file)
        #expect(whole.parts.isEmpty && whole.sha256 == digest.sha256)
        let exact = try await FileDigest.compute(file, partSize: 5)
        #expect(exact.parts.count == 2, "no empty last part when the size divides evenly")
        await #expect(throws: LocalFileError.self) { try await file.read(at: 8, count: 4) }
    }

    /// A local server that answers 503 SlowDown twice and then the object, 403 always, or 500
    /// always, counting the requests it gets.
    @Test func retriesServerErrorsWithBackoffButNotClientErrors() async throws {
        let counter = RequestCounter()
        let router = Router()
        router.get("/footage/flaky") { _, _ -> Response in
            let n = await counter.next("flaky")
            if n <= 2 {
                return Self.xmlError(.serviceUnavailable, code: "SlowDown", message: "Please reduce your request rate.")
            }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "the bytes")))
        }
        router.get("/footage/denied") { _, _ -> Response in
            _ = await counter.next("denied")
            return Self.xmlError(.forbidden, code: "AccessDenied", message: "Access Denied")
        }
        router.get("/footage/broken") { _, _ -> Response in
            _ = await counter.next("broken")
            return Self.xmlError(.internalServerError, code: "InternalError", message: "We encountered an internal error.")
        }
        try await Application(router: router).test(.live) { client in
            let port = try #require(client.port)
            var config = configuration("http://localhost:\(port)", pathStyle: true)
            config.retry = S3RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(1), maxDelay: .milliseconds(4))
            let s3 = try S3Client(configuration: config)

            let flaky = try await s3.get(key: "flaky")
            #expect(String(buffer: flaky) == "the bytes")
            #expect(await counter.count("flaky") == 3)

            let denied = await #expect(throws: S3Error.self) { try await s3.get(key: "denied") }
            #expect(denied?.status == 403 && denied?.code == "AccessDenied" && denied?.attempts == 1)
            #expect(await counter.count("denied") == 1)

            let broken = await #expect(throws: S3Error.self) { try await s3.get(key: "broken") }
            #expect(broken?.status == 500 && broken?.code == "InternalError" && broken?.attempts == 4)
            #expect(await counter.count("broken") == 4)
            #expect(broken?.description == "S3 GetObject of 'broken' failed: HTTP 500 InternalError: We encountered an internal error. (after 4 attempts)")
        }
    }

    @Test func networkFailuresAreRetriedThenReported() async throws {
        // A port that was free a moment ago: connections are refused.
        let port = try freePort()
        var config = configuration("http://127.0.0.1:\(port)", pathStyle: true)
        config.retry = S3RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(1), maxDelay: .milliseconds(4))
        // AsyncHTTPClient keeps trying to connect until the request's deadline.
        config.requestTimeout = .seconds(2)
        let s3 = try S3Client(configuration: config)
        let error = await #expect(throws: S3Error.self) { try await s3.head(key: "k") }
        #expect(error?.kind == .network && error?.attempts == 3 && error?.operation == .headObject)
        #expect(error.map { !"\($0)".contains(Self.secret) } == true)
    }

    static func xmlError(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message>"
            + "<StringToSign>must not leak</StringToSign><SignatureProvided>abc</SignatureProvided></Error>"
        return Response(status: status, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }

    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else {
                    throw LocalFileError(path: "socket", reason: "no free port")
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

actor RequestCounter {
    private var counts: [String: Int] = [:]

    func next(_ name: String) -> Int {
        counts[name, default: 0] += 1
        return counts[name]!
    }

    func count(_ name: String) -> Int { counts[name] ?? 0 }
}

/// A clock that moves only when told to: the limiter's "sleep" advances it.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero

    func now() -> Duration {
        lock.lock()
        defer { lock.unlock() }
        return elapsed
    }

    func advance(_ duration: Duration) {
        lock.lock()
        elapsed += duration
        lock.unlock()
    }
}

/// Deterministic pseudo-random bytes for test files.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - moto

/// Runs `body` against a fresh moto S3 server (and a fresh temporary folder), and stops the
/// server and removes the folder however `body` ends.
func withMoto(_ body: (MotoServer, String) async throws -> Void) async throws {
    let moto = try await MotoServer.start()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-s3-\(UUID().uuidString)").path
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try await body(moto, folder)
    } catch {
        moto.stop()
        try? FileManager.default.removeItem(atPath: folder)
        throw error
    }
    moto.stop()
    try? FileManager.default.removeItem(atPath: folder)
}

/// moto's S3 server (`.venv/bin/moto_server`, installed by `make test` from tests/requirements.txt)
/// on a free port of 127.0.0.1, with an IAM user whose access key may do anything in S3, and
/// signature checking on. A watchdog shell stops the server should this test process die.
final class MotoServer: @unchecked Sendable {
    let endpoint: URL
    let accessKeyID: String
    let secretAccessKey: String
    private let process: Process
    private let folder: String

    private init(endpoint: URL, accessKeyID: String, secretAccessKey: String, process: Process, folder: String) {
        self.endpoint = endpoint
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.process = process
        self.folder = folder
    }

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func start() async throws -> MotoServer {
        let executable = repositoryRoot + "/.venv/bin/moto_server"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw StartFailure(description: "moto_server is not installed at \(executable): the S3 tests need moto's S3 server; "
                + "run `scripts/install-deps.sh test` (it installs tests/requirements.txt into .venv)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-moto-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let log = folder + "/moto.log"
        // The shell starts moto, writes its pid, and kills it should this process go away first.
        // (SIGKILL: a process that ran a Hummingbird service ignores SIGTERM and SIGINT, and
        // its children inherit that.)
        let watchdog = """
            "$0" -H 127.0.0.1 -p 0 >"$1" 2>&1 &
            moto=$!
            echo $moto >"$1.pid"
            while kill -0 "$2" 2>/dev/null && kill -0 $moto 2>/dev/null; do sleep 0.2; done
            kill -KILL $moto 2>/dev/null; wait $moto
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", watchdog, executable, log, String(ProcessInfo.processInfo.processIdentifier)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        let failed = { (why: String) -> StartFailure in
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return StartFailure(description: "moto_server \(why); its output:\n\(output.suffix(2_000))")
        }
        var port: Int?
        let deadline = ContinuousClock.now + .seconds(60)
        while port == nil {
            if let output = try? String(contentsOfFile: log, encoding: .utf8),
               let match = output.firstMatch(of: #/Running on http://127\.0\.0\.1:(\d+)/#) {
                port = Int(match.1)
            } else if !process.isRunning || ContinuousClock.now > deadline {
                let error = failed(process.isRunning ? "did not start within 60 s" : "exited")
                stop(process, folder: folder)
                throw error
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let endpoint = URL(string: "http://127.0.0.1:\(port!)")!
        do {
            let (id, secret) = try await createS3User(endpoint)
            let server = MotoServer(endpoint: endpoint, accessKeyID: id, secretAccessKey: secret, process: process, folder: folder)
            try await server.checkSignatures(true)
            return server
        } catch {
            let failure = failed("did not accept the set-up of its IAM user: \(error)")
            stop(process, folder: folder)
            throw failure
        }
    }

    /// Creates IAM user `ronin` with an access key and a policy allowing every S3 action.
    private static func createS3User(_ endpoint: URL) async throws -> (String, String) {
        _ = try await iam(endpoint, ["Action": "CreateUser", "UserName": "ronin"])
        let created = try await iam(endpoint, ["Action": "CreateAccessKey", "UserName": "ronin"])
        let key = created.child("CreateAccessKeyResult")?.child("AccessKey")
        guard let id = key?.value("AccessKeyId"), let secret = key?.value("SecretAccessKey") else {
            throw StartFailure(description: "CreateAccessKey gave no key")
        }
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        _ = try await iam(endpoint, ["Action": "PutUserPolicy", "UserName": "ronin", "PolicyName": "s3", "PolicyDocument": policy])
        return (id, secret)
    }

    /// An IAM query API call (form POST), signed for `iam` so that moto routes it there
    /// (moto does not check this signature: checking is still off).
    private static func iam(_ endpoint: URL, _ parameters: [String: String]) async throws -> S3XMLElement {
        let form = (parameters.map { ($0.key, $0.value) } + [("Version", "2010-05-08")])
            .map { S3Signer.uriEncode($0.0) + "=" + S3Signer.uriEncode($0.1) }.joined(separator: "&")
        let host = "127.0.0.1:\(endpoint.port!)"
        let signer = S3Signer(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", region: "us-east-1", service: "iam")
        let unsigned = S3SignableRequest(method: "POST", path: "/", headers: [
            S3Header("host", host), S3Header("content-type", "application/x-www-form-urlencoded; charset=utf-8"),
        ])
        let signed = signer.signed(unsigned, payloadHash: S3Signer.payloadHash(Data(form.utf8)), date: Date())
        var request = HTTPClientRequest(url: endpoint.absoluteString + "/")
        request.method = .POST
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let text = String(buffer: try await response.body.collect(upTo: 1_000_000))
        guard response.status == .ok else {
            throw StartFailure(description: "IAM \(parameters["Action"]!) answered \(response.status.code): \(text.prefix(500))")
        }
        return try S3XML.parse(text)
    }

    /// Turns moto's checking of request signatures on or off (`/moto-api/reset-auth`).
    func checkSignatures(_ on: Bool) async throws {
        var request = HTTPClientRequest(url: endpoint.absoluteString + "/moto-api/reset-auth")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: on ? "0" : "inf"))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 100_000)
        guard response.status == .ok else {
            throw StartFailure(description: "moto's reset-auth answered \(response.status.code)")
        }
    }

    func stop() {
        Self.stop(process, folder: folder)
    }

    /// Kills moto (its state is all in memory), then waits up to ten seconds for the watchdog
    /// to see it gone and end, killing the watchdog past that.
    private static func stop(_ process: Process, folder: String) {
        if let text = try? String(contentsOfFile: folder + "/moto.log.pid", encoding: .utf8),
           let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0 {
            kill(pid, SIGKILL)
        }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

import Testing
@testable import RoninCore

/// Validation of camera addresses and the RTSP URLs built from them.
@Suite(.timeLimit(.minutes(2))) struct CameraEndpointTests {
    @Test func buildsURLsWithEncodedCredentials() throws {
        let endpoint = try CameraEndpoint(host: "cam.local", port: 8554, username: "ad min", password: "p@ss:w/rd", streamPath: "/live")
        #expect(endpoint.url() == "rtsp://ad%20min:p%40ss%3Aw%2Frd@cam.local:8554/live")
        #expect(endpoint.displayURL() == "rtsp://cam.local:8554/live")
        #expect(endpoint.url(path: "/sub") == "rtsp://ad%20min:p%40ss%3Aw%2Frd@cam.local:8554/sub")
    }

    @Test func bracketsIPv6Hosts() throws {
        let endpoint = try CameraEndpoint(host: "[fe80::1]", streamPath: "ch1")
        #expect(endpoint.host == "fe80::1")
        #expect(endpoint.url() == "rtsp://[fe80::1]:554/ch1")
    }

    @Test(arguments: ["", "rtsp://cam", "cam/path", "user@cam", "cam name", "-cam", "a..b", "cam:554", "x\u{0}y"])
    func rejectsBadHosts(host: String) {
        #expect(throws: CameraEndpoint.Problem.self) { try CameraEndpoint(host: host) }
    }

    @Test(arguments: [0, -1, 65536, 1_000_000])
    func rejectsBadPorts(port: Int) {
        #expect(throws: CameraEndpoint.Problem.self) { try CameraEndpoint(host: "cam", port: port) }
    }

    @Test(arguments: ["/a b", "/../etc", "/x\n", "/\u{7}"])
    func rejectsBadPaths(path: String) {
        #expect(throws: CameraEndpoint.Problem.self) { try CameraEndpoint(host: "cam", streamPath: path) }
    }

    @Test func acceptsRealWorldPaths() throws {
        for path in ["/Streaming/Channels/101", "/cam/realmonitor?channel=1&subtype=0", "h264Preview_01_main", "/"] {
            let endpoint = try CameraEndpoint(host: "192.168.1.20", streamPath: path)
            #expect(endpoint.streamPath.hasPrefix("/"))
        }
    }
}

import Foundation
import Testing
@testable import RoninCore

/// Device tokens: bound to a username and the server's secret, and only for so long.
@Suite(.timeLimit(.minutes(2))) struct DeviceTokenTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let tokens = DeviceToken(secret: "a-server-secret-of-some-length")

    @Test func aTokenNamesItsDeviceForItsUserOnly() throws {
        let token = tokens.issue(username: "Admin", now: now)
        let device = try #require(tokens.device(in: token, username: "admin", now: now.addingTimeInterval(60), maxAge: 86_400))
        #expect(device.count >= 20)
        #expect(tokens.device(in: token, username: "alice", now: now, maxAge: 86_400) == nil)
        #expect(DeviceToken(secret: "another-server-secret").device(in: token, username: "admin", now: now, maxAge: 86_400) == nil)
        #expect(tokens.device(in: token, username: "admin", now: now.addingTimeInterval(86_401), maxAge: 86_400) == nil)
        #expect(tokens.issue(username: "admin", now: now) != token, "every sign-in names a new device")
    }

    @Test func tamperedOrMalformedTokensAreRejected() {
        let token = tokens.issue(username: "admin", now: now)
        var parts = token.split(separator: ".").map(String.init)
        parts[2] = String(Int(parts[2])! + 1000)
        for bad in [parts.joined(separator: "."), "", "d1...", "d1.x.1.y", String(repeating: "a", count: 5000), token + "x"] {
            #expect(tokens.device(in: bad, username: "admin", now: now, maxAge: 86_400) == nil, "\(bad.prefix(30))")
        }
    }
}

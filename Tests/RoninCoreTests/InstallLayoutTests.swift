import Foundation
import Testing
@testable import RoninCore

/// The web UI is found from where the executable is, not from the working directory.
@Suite(.timeLimit(.minutes(2))) struct InstallLayoutTests {
    @Test func anInstalledExecutableFindsItsPrefix() {
        let layout = InstallLayout(executableDirectory: "/usr/local/bin", workingDirectory: "/")
        #expect(layout.webRoot { $0 == "/usr/local/share/ronin/web/index.html" } == "/usr/local/share/ronin/web")
    }

    @Test func aCheckoutBuildFindsTheCheckoutsFrontend() {
        let layout = InstallLayout(executableDirectory: "/home/me/ronin/.build/x86_64-unknown-linux-gnu/release", workingDirectory: "/")
        #expect(layout.webRoot { $0 == "/home/me/ronin/Frontend/dist/index.html" } == "/home/me/ronin/Frontend/dist")
    }

    @Test func anUnpackedFolderFindsItsWebFolderFirst() {
        let layout = InstallLayout(executableDirectory: "/opt/ronin", workingDirectory: "/srv")
        let found = layout.webRoot { $0 == "/opt/ronin/web/index.html" || $0 == "/srv/Frontend/dist/index.html" }
        #expect(found == "/opt/ronin/web")
    }

    @Test func withNothingFoundTheWorkingDirectoryIsNamed() {
        let layout = InstallLayout(executableDirectory: "/opt/ronin/bin", workingDirectory: "/srv")
        #expect(layout.webRoot { _ in false } == "/srv/Frontend/dist")
        #expect(layout.webRootCandidates.first == "/opt/ronin/share/ronin/web")
    }

    @Test func theDefaultModelIsFoundTheSameWay() {
        let checkout = InstallLayout(executableDirectory: "/home/me/ronin/.build/release", workingDirectory: "/")
        #expect(checkout.model(named: "m.onnx") { $0 == "/home/me/ronin/models/m.onnx" } == "/home/me/ronin/models/m.onnx")
        let installed = InstallLayout(executableDirectory: "/usr/local/bin", workingDirectory: "/var/lib/ronin")
        #expect(installed.model(named: "m.onnx") { $0 == "/usr/local/share/ronin/models/m.onnx" } == "/usr/local/share/ronin/models/m.onnx")
        #expect(installed.model(named: "m.onnx") { _ in false } == "/var/lib/ronin/models/m.onnx")
        #expect(checkout.ancestorFolders.prefix(2) == ["/home/me/ronin/.build", "/home/me/ronin"])
    }
}

import Foundation
import Testing
import RoninCore

/// The README's configuration table names every setting the server reads.
@Suite(.timeLimit(.minutes(2))) struct DocumentationTests {
    @Test func readmeListsEverySetting() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for setting in SettingsCatalog.all {
            #expect(readme.contains("`\(setting.name)`"), "README.md does not document \(setting.name)")
        }
    }
}

import Testing
@testable import RoninCore

/// Camera names and the storage folder names derived from them.
@Suite(.timeLimit(.minutes(2))) struct CameraNameTests {
    @Test(arguments: [
        ("Front Door", "Front Door"),
        ("  Garage  ", "Garage"),
        ("../etc", "_etc"),
        ("..", "camera"),
        (".hidden", "hidden"),
        ("a/b\\c", "a_b_c"),
        ("what?*:<>|\"", "what_______"),
        ("CON", "CON_"),
        ("nul.txt", "nul_.txt"),
        ("com1", "com1_"),
        ("Lpt9.log", "Lpt9_.log"),
        ("Console", "Console"),
        ("trailing dots...", "trailing dots"),
        ("Café 東京", "Café 東京"),
    ])
    func makesSafeFolderNames(name: String, folder: String) throws {
        let parsed = try CameraName(name)
        #expect(parsed.folder == folder)
        #expect(!parsed.folder.contains("/"))
        #expect(parsed.folder != "." && parsed.folder != "..")
    }

    @Test(arguments: ["", "   ", "\n\t"])
    func rejectsEmptyNames(name: String) {
        #expect(throws: CameraName.Problem.empty) { try CameraName(name) }
    }

    @Test(arguments: ["bad\u{0}name", "line\nbreak", "tab\there", "bell\u{7}", "rtl\u{202E}override"])
    func rejectsControlCharacters(name: String) {
        #expect(throws: CameraName.Problem.controlCharacters) { try CameraName(name) }
    }

    @Test func rejectsLongNames() {
        #expect(throws: CameraName.Problem.tooLong(64)) { try CameraName(String(repeating: "a", count: 65)) }
        #expect(throws: Never.self) { try CameraName(String(repeating: "a", count: 64)) }
    }

    @Test func folderNamesStayWithinSixtyFourBytes() throws {
        let name = try CameraName(String(repeating: "é", count: 60))
        #expect(name.folder.utf8.count <= 64)
    }

    @Test func uniqueFolderNamesIgnoreCase() {
        #expect(CameraName.uniqueFolderName("Yard", taken: []) == "Yard")
        #expect(CameraName.uniqueFolderName("Yard", taken: ["yard"]) == "Yard-2")
        #expect(CameraName.uniqueFolderName("Yard", taken: ["Yard", "YARD-2"]) == "Yard-3")
    }
}

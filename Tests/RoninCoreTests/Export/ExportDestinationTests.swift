import Foundation
import RoninCore
import Testing

/// Destination checks against a made-up disk: what is under EXPORT_ROOTS and reached without
/// links is accepted, everything hostile is refused with the problem named.
@Suite(.timeLimit(.minutes(2))) struct ExportDestinationTests {
    /// A disk of folders, files and links; `realPath` resolves links by their targets.
    struct FakeDisk: ExportFileSystem {
        var folders: Set<String> = ["/media/usb", "/media/usb/exports", "/media/usb/exports/2026", "/srv/nvr"]
        var files: Set<String> = ["/media/usb/notes.txt"]
        var links: [String: String] = [:]
        var exports: [String: String] = [:]

        func kind(of path: String) -> ExportPathKind {
            if links[path] != nil { return .symlink }
            if folders.contains(path) { return .directory }
            if files.contains(path) { return .file }
            return .missing
        }

        func realPath(_ path: String) -> String? {
            var resolved = ""
            for part in path.split(separator: "/") {
                resolved += "/" + part
                if let target = links[resolved] { resolved = target }
            }
            let result = resolved.isEmpty ? "/" : resolved
            return kind(of: result) == .missing ? nil : result
        }

        func exportID(inFolder path: String) -> String? { exports[path] }
    }

    let roots = ["/media/usb", "/media/card/"]

    func refusal(_ raw: String, disk: FakeDisk = FakeDisk(), roots: [String]? = nil) -> ExportDestination.Problem? {
        do {
            _ = try ExportDestination.validate(raw, roots: roots ?? self.roots, fileSystem: disk)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFolderUnderARootIsAccepted() throws {
        let destination = try ExportDestination.validate("/media/usb/exports//2026/", roots: roots, fileSystem: FakeDisk())
        #expect(destination.root == "/media/usb")
        #expect(destination.folder == "/media/usb/exports/2026")
        #expect(destination.missing.isEmpty)
        #expect(try ExportDestination.validate("/media/usb", roots: roots, fileSystem: FakeDisk()).folder == "/media/usb")
    }

    @Test func missingFoldersBelowTheRootAreToBeMade() throws {
        let destination = try ExportDestination.validate("/media/usb/exports/new/inner", roots: roots, fileSystem: FakeDisk())
        #expect(destination.missing == ["new", "inner"])
    }

    @Test func exportOffWithoutRoots() {
        #expect(refusal("/media/usb", roots: []) == .exportOff)
        #expect(ExportDestination.Problem.exportOff.description.contains("EXPORT_ROOTS"))
    }

    @Test func hostileTextIsRefused() {
        #expect(refusal("") == .empty)
        #expect(refusal("/media/usb/a\u{0}b") == .nulByte)
        #expect(refusal("/media/usb/a\nb") == .controlCharacter)
        #expect(refusal("media/usb") == .notAbsolute)
        #expect(refusal("/media/usb/../../etc") == .relativeComponent(".."))
        #expect(refusal("/media/usb/./exports") == .relativeComponent("."))
        #expect(refusal("/media/usb/" + String(repeating: "a", count: 256)) == .componentTooLong(String(repeating: "a", count: 256)))
        let long = "/media/usb/" + Array(repeating: String(repeating: "b", count: 200), count: 6).joined(separator: "/")
        #expect(refusal(long) == .tooLong(bytes: long.utf8.count))
    }

    @Test func outsideEveryRootIsRefused() {
        #expect(refusal("/etc") == .outsideRoots(roots: roots))
        // A prefix of the name is not a folder below it.
        #expect(refusal("/media/usb2/x") == .outsideRoots(roots: roots))
        #expect(refusal("/media") == .outsideRoots(roots: roots))
    }

    @Test func anUnmountedRootIsNamed() {
        #expect(refusal("/media/card/x") == .rootUnavailable("/media/card"))
    }

    @Test func symlinksBelowTheRootAreRefusedWhereverTheyPoint() {
        var disk = FakeDisk()
        disk.links["/media/usb/exports/2026"] = "/srv/nvr"
        #expect(refusal("/media/usb/exports/2026", disk: disk) == .symlink("/media/usb/exports/2026"))
        #expect(refusal("/media/usb/exports/2026/deeper", disk: disk) == .symlink("/media/usb/exports/2026"))
        // Even one pointing back inside the root.
        disk.links["/media/usb/exports/2026"] = "/media/usb/exports"
        #expect(refusal("/media/usb/exports/2026", disk: disk) == .symlink("/media/usb/exports/2026"))
    }

    @Test func aRootThatIsALinkIsFollowed() throws {
        var disk = FakeDisk()
        disk.folders.insert("/mnt/stick")
        disk.folders.insert("/mnt/stick/x")
        disk.links["/media/stick"] = "/mnt/stick"
        let destination = try ExportDestination.validate("/media/stick/x", roots: ["/media/stick"], fileSystem: disk)
        #expect(destination.folder == "/media/stick/x")
    }

    @Test func whatResolvesOutsideTheRootIsRefused() {
        // A bind mount or a link the per-name check cannot see: realpath says where it really is.
        struct Escaping: ExportFileSystem {
            func kind(of path: String) -> ExportPathKind { .directory }
            func realPath(_ path: String) -> String? { path == "/media/usb" ? "/media/usb" : "/etc" }
            func exportID(inFolder path: String) -> String? { nil }
        }
        #expect(throws: ExportDestination.Problem.escapesRoot("/media/usb/x")) {
            try ExportDestination.validate("/media/usb/x", roots: ["/media/usb"], fileSystem: Escaping())
        }
    }

    @Test func filesAndOtherExportsAreRefused() {
        var disk = FakeDisk()
        #expect(refusal("/media/usb/notes.txt", disk: disk) == .notAFolder("/media/usb/notes.txt"))
        disk.exports["/media/usb/exports"] = "1a2b3c4d"
        #expect(refusal("/media/usb/exports", disk: disk) == .insideExport("/media/usb/exports"))
        #expect(refusal("/media/usb/exports/2026", disk: disk) == .insideExport("/media/usb/exports"))
        #expect(refusal("/media/usb", disk: disk) == nil)
    }

    @Test func theDeepestMatchingRootWins() throws {
        var disk = FakeDisk()
        disk.folders.insert("/media/usb/inner")
        let destination = try ExportDestination.validate("/media/usb/inner", roots: ["/media/usb", "/media/usb/inner"], fileSystem: disk)
        #expect(destination.root == "/media/usb/inner")
    }

    @Test func exportFolderNamesUseLocalTime() {
        let start = ISO8601DateFormatter().date(from: "2026-11-25T03:00:00Z")!
        let id = UUID(uuidString: "1A2B3C4D-0000-0000-0000-000000000000")!
        #expect(ExportDestination.exportFolderName(start: start, zone: TimeZone(identifier: "Europe/Berlin")!, id: id)
                == "ronin-export-2026-11-25_04-00-00-1a2b3c4d")
    }
}

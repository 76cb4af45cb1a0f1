import Foundation
import RoninCore
import Testing

@Suite(.timeLimit(.minutes(2))) struct StorageQuantityTests {
    @Test func durationsTakeTheirUnit() throws {
        #expect(try StorageQuantity.seconds("90s") == 90)
        #expect(try StorageQuantity.seconds("15m") == 900)
        #expect(try StorageQuantity.seconds("12h") == 43_200)
        #expect(try StorageQuantity.seconds(" 7d ") == 604_800)
        #expect(try StorageQuantity.seconds("1.5d") == 129_600)
        #expect(try StorageQuantity.seconds("2W") == 1_209_600)
    }

    @Test func aBareNumberIsDaysOnlyWhereTheSettingSaysSo() throws {
        #expect(try StorageQuantity.seconds("30", bareUnit: 86_400) == 2_592_000)
        #expect(try StorageQuantity.seconds("0.5", bareUnit: 86_400) == 43_200)
        #expect(throws: StorageQuantity.Invalid.self) { try StorageQuantity.seconds("30") }
    }

    @Test func sizesAreGigabytesUnlessAUnitSaysOtherwise() throws {
        #expect(try StorageQuantity.bytes("0.5") == 500_000_000)
        #expect(try StorageQuantity.bytes("2") == 2_000_000_000)
        #expect(try StorageQuantity.bytes("500MB") == 500_000_000)
        #expect(try StorageQuantity.bytes("1.5 GB") == 1_500_000_000)
        #expect(try StorageQuantity.bytes("2tb") == 2_000_000_000_000)
    }

    @Test func nonsenseIsRefusedWithTheValueNamed() {
        for bad in ["", "abc", "-1", "0", "0s", "12x", "nan", "inf", "1e30", "d"] {
            #expect(throws: StorageQuantity.Invalid.self, "\(bad)") { try StorageQuantity.seconds(bad, bareUnit: 86_400) }
        }
        for bad in ["", "abc", "-1", "0", "1e30", "GB", "0.0000000001"] {
            #expect(throws: StorageQuantity.Invalid.self, "\(bad)") { try StorageQuantity.bytes(bad) }
        }
        do {
            _ = try StorageQuantity.bytes("lots")
            Issue.record("accepted 'lots'")
        } catch {
            #expect(error.description.contains("'lots'"))
        }
    }

    @Test func durationsAreDescribedInTheirLargestWholeUnit() {
        #expect(StorageQuantity.describe(seconds: 90) == "90s")
        #expect(StorageQuantity.describe(seconds: 43_200) == "12h")
        #expect(StorageQuantity.describe(seconds: 604_800) == "1w")
        #expect(StorageQuantity.describe(seconds: 129_600) == "36h")
    }
}

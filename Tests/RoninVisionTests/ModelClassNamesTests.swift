import Testing
@testable import RoninVision

/// Class names from model metadata in the forms models ship them.
@Suite(.timeLimit(.minutes(5))) struct ModelClassNamesTests {
    @Test func jsonList() {
        #expect(ModelClassNames.parse(#"["person", "bicycle", "traffic light"]"#) == ["person", "bicycle", "traffic light"])
    }

    @Test func ultralyticsPythonDict() {
        #expect(ModelClassNames.parse("{0: 'person', 1: 'bicycle', 2: \"traffic light\", 3: 'o\\'clock'}")
            == ["person", "bicycle", "traffic light", "o'clock"])
        #expect(ModelClassNames.parse("{1: 'car', 0: 'person'}") == ["person", "car"])
    }

    @Test func jsonDictKeyedByIndex() {
        #expect(ModelClassNames.parse(#"{"1": "car", "0": "person"}"#) == ["person", "car"])
    }

    @Test func unreadableNamesGiveNil() {
        #expect(ModelClassNames.parse("person,car") == nil)
        #expect(ModelClassNames.parse("{0: 'person', 2: 'car'}") == nil)  // index 1 missing
        #expect(ModelClassNames.parse("{zero: 'person'}") == nil)
        #expect(ModelClassNames.parse("{0: 'person}") == nil)
        #expect(ModelClassNames.parse("42") == nil)
    }
}

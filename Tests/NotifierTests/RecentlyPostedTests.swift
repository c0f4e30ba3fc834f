import Testing
@testable import Notifier

@Suite struct RecentlyPostedTests {
    @Test func remembersTheLastIdsAndForgetsTheOldest() {
        var posted = RecentlyPosted(capacity: 3)
        for id in ["a", "b", "c"] { posted.insert(id) }
        #expect(["a", "b", "c"].allSatisfy(posted.contains))
        posted.insert("b") // already there: nothing is forgotten for it
        #expect(posted.contains("a"))
        posted.insert("d")
        #expect(!posted.contains("a"))
        #expect(["b", "c", "d"].allSatisfy(posted.contains))
        posted.insert("e")
        posted.insert("f")
        #expect(["d", "e", "f"].allSatisfy(posted.contains))
        #expect(!posted.contains("b") && !posted.contains("c"))
    }
}

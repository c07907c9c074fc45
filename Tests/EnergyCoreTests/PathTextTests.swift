import EnergyCore
import Testing

@Suite(.timeLimit(.minutes(1))) struct PathTextTests {
  @Test func parentsOfShortAndOddPaths() {
    #expect(PathText.parent(of: "d") == "")
    #expect(PathText.parent(of: "d/") == "")
    #expect(PathText.parent(of: "d/logs") == "d")
    #expect(PathText.parent(of: "/d") == "/")
    #expect(PathText.parent(of: "/") == "/")
    #expect(PathText.parent(of: "a/b/c.csv") == "a/b")
    #expect(PathText.parent(of: "a//b") == "a")
  }

  @Test func joinsAndLastComponents() {
    #expect(PathText.join("d", "logs") == "d/logs")
    #expect(PathText.join("d/", "logs") == "d/logs")
    #expect(PathText.join("", "logs") == "logs")
    #expect(PathText.lastComponent(of: "x") == "x")
    #expect(PathText.lastComponent(of: "a/b/c.csv") == "c.csv")
    #expect(PathText.lastComponent(of: "a/b/") == "b")
  }
}

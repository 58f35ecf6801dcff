import ClicktrailUserAgent
import Testing

@Suite struct UserAgentClassifierTests {
  private let rules = #"[{regex: '(Foo)/(\d+)'}]"#

  @Test func repeatedHeaderIsCachedOnce() throws {
    let classifier = UserAgentClassifier(parser: try parser(browser: rules))
    let first = classifier.classify("Foo/1")
    let second = classifier.classify("Foo/1")
    #expect(first == second)
    #expect(first.browserFamily == "Foo")
    #expect(classifier.cachedCount == 1)
  }

  @Test func fullCacheStillClassifies() throws {
    let classifier = UserAgentClassifier(parser: try parser(browser: rules), capacity: 2)
    let results = ["Foo/1", "Foo/2", "Foo/3"].map(classifier.classify)
    #expect(results.map(\.browserMajor) == ["1", "2", "3"])
    #expect(classifier.cachedCount == 2)
  }

  @Test(arguments: [1, 2, 3, 8])
  func classifyAllKeepsInputOrder(threadCount: Int) throws {
    let classifier = UserAgentClassifier(parser: try parser(browser: rules))
    let headers = (0..<1000).map { "Foo/\($0 % 700)" } + ["", "bar"]
    let results = classifier.classifyAll(headers, threadCount: threadCount)
    #expect(results.count == headers.count)
    #expect(
      results.map(\.browserMajor)
        == headers.map { $0.isEmpty || $0 == "bar" ? nil : String($0.dropFirst(4)) })
    #expect(classifier.cachedCount == 702)
  }

  @Test func classifyAllOfNothing() throws {
    let classifier = UserAgentClassifier(parser: try parser(browser: rules))
    #expect(classifier.classifyAll([]).isEmpty)
  }
}

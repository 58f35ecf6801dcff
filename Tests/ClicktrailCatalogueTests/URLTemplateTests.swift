import ClicktrailCatalogue
import Foundation
import Testing

@Suite struct URLTemplateTests {
  static let template =
    "https://lp.example.org/offer/{campaign}?cid={clickid}&g={param:gender}#{lander}"

  static let hostileValues = [
    "/", "?x=1", "#", "%0d%0a", "\r\n", "//evil.example", "@evil.example", "a&b=c",
    "..%2F..", "ünïcødé ✓ 🎉", "https://evil.example/path?q#f",
  ]

  @Test func tokensExpand() throws {
    let template = try URLTemplate(parsing: Self.template)
    let values = TokenValues(
      clickID: "AbC_-09", campaign: "spring", lander: "quiz", parameters: ["gender": "male"])
    #expect(
      template.expand(values)
        == "https://lp.example.org/offer/spring?cid=AbC_-09&g=male#quiz")
  }

  @Test func missingParameterIsEmpty() throws {
    let template = try URLTemplate(parsing: Self.template)
    let values = TokenValues(clickID: "x", campaign: "c")
    #expect(template.expand(values) == "https://lp.example.org/offer/c?cid=x&g=#")
  }

  @Test(arguments: hostileValues)
  func hostileValueStaysInItsComponent(value: String) throws {
    let template = try URLTemplate(parsing: Self.template)
    let values = TokenValues(
      clickID: value, campaign: value, lander: value, parameters: ["gender": value])
    let expanded = template.expand(values)
    let components = try #require(URLComponents(string: expanded))
    #expect(components.scheme == "https")
    #expect(components.host == "lp.example.org")
    #expect(components.user == nil)
    #expect(components.path == "/offer/\(value)")
    #expect(components.percentEncodedPath.filter { $0 == "/" }.count == 2)
    #expect(components.queryItems?.map(\.name) == ["cid", "g"])
    #expect(components.queryItems?.map(\.value) == [value, value])
    #expect(components.fragment == value)
    #expect(!expanded.contains("\r"))
    #expect(!expanded.contains("\n"))
  }

  @Test func percentEncodingKeepsOnlyUnreserved() {
    #expect(PercentEncoding.encode("Az09-._~") == "Az09-._~")
    #expect(PercentEncoding.encode("a b+c") == "a%20b%2Bc")
    #expect(PercentEncoding.encode("%0d%0a") == "%250d%250a")
    #expect(PercentEncoding.encode("€") == "%E2%82%AC")
  }

  @Test(arguments: [
    "https://lp.example.org", "http://lp.example.org:8080/p/{param:age_group}",
    "HTTPS://lp.example.org/?a={offer}&b={source}",
  ])
  func validTemplateParses(text: String) throws {
    #expect(try URLTemplate(parsing: text).text == text)
  }

  @Test(arguments: [
    "lp.example.org/{clickid}", "https://lp.example.org{clickid}", "https://user@lp.example.org/",
    "https:///nohost", "https://lp.example.org/}", "https://lp.example.org/{param:}",
    "https://lp.example.org/{param:a b}",
  ])
  func invalidTemplateIsRejected(text: String) {
    #expect(throws: URLTemplateError.self) { try URLTemplate(parsing: text) }
  }

  /// Templates from the catalogue fuzz target that parsed although their expansion, the
  /// Location header field, contains a control character.
  @Test(arguments: [
    "https://lp.example.org/q/{param:a}?cid\u{1D}{clickid}",
    "https://lp.example.org/q/{param:a}\u{7F}?cid={clickid}",
    "https://lp.example.org/q/\0/{param:a}", "https://lp.example.org/\u{01}/{param:a}",
    "https://lp.example.org/a b", "https://lp.example.org/a\tb", "https://lp.example.org/\r\nX: y",
  ])
  func controlCharacterIsRejected(text: String) {
    #expect(throws: URLTemplateError.self) { try URLTemplate(parsing: text) }
  }
}

import ClicktrailUserAgent
import Testing

@Suite struct BrowserReplacementTests {
  @Test func groupsFillFieldsWithoutReplacements() throws {
    let rules = try parser(browser: #"[{regex: '(Foo)/(\d+)\.(\d+)(?:\.(\d+))?'}]"#)
    let info = rules.parse("Foo/1.2 bar")
    #expect(info.browserFamily == "Foo")
    #expect(info.browserMajor == "1")
    #expect(info.browserMinor == "2")
    #expect(info.browserPatch == nil)
  }

  @Test func placeholdersTakeGroupText() throws {
    let rules = try parser(
      browser:
        #"[{regex: '(Foo)/(\d+)\.(\d+)', family_replacement: 'Bar $1 v$2', v2_replacement: '$3$3'}]"#
    )
    let info = rules.parse("Foo/4.5")
    #expect(info.browserFamily == "Bar Foo v4")
    #expect(info.browserMajor == "4")
    #expect(info.browserMinor == "55")
  }

  @Test func literalReplacementIgnoresGroups() throws {
    let rules = try parser(
      browser: #"[{regex: 'Foo/(\d+)', family_replacement: 'Foo App', v1_replacement: '7'}]"#)
    let info = rules.parse("Foo/3")
    #expect(info.browserFamily == "Foo App")
    #expect(info.browserMajor == "7")
  }

  @Test func unmatchedGroupInPlaceholderIsEmpty() throws {
    let rules = try parser(
      browser: #"[{regex: '(Foo)(?:-(Pro))?', family_replacement: '$1 $2 $9'}]"#)
    #expect(rules.parse("Foo").browserFamily == "Foo")
    #expect(rules.parse("Foo-Pro").browserFamily == "Foo Pro")
  }

  @Test func valuesAreTrimmed() throws {
    let rules = try parser(browser: #"[{regex: '\[( Foo )/( 1 )\]'}]"#)
    let info = rules.parse("[ Foo / 1 ]")
    #expect(info.browserFamily == "Foo")
    #expect(info.browserMajor == "1")
  }

  @Test func emptyFamilyBecomesOther() throws {
    let rules = try parser(browser: #"[{regex: 'x( *)/(\d*)', family_replacement: ' $1 '}]"#)
    let info = rules.parse("x  /")
    #expect(info.browserFamily == "Other")
    #expect(info.browserMajor == nil)
  }

  @Test func dollarWithoutDigitStaysLiteral() throws {
    let rules = try parser(browser: #"[{regex: '(Foo)', family_replacement: '$$x $0 $1$'}]"#)
    #expect(rules.parse("Foo").browserFamily == "$$x $0 Foo$")
  }

  @Test func firstMatchingRuleWins() throws {
    let rules = try parser(
      browser: #"[{regex: 'Foo', family_replacement: 'First'}, {regex: '(Foo)'}]"#)
    #expect(rules.parse("Foo").browserFamily == "First")
  }

  @Test func noMatchGivesOther() throws {
    let info = try parser(browser: "[{regex: 'Foo'}]").parse("Bar")
    #expect(info.browserFamily == "Other")
    #expect(info.browserMajor == nil)
    #expect(info.osFamily == "Other")
    #expect(info.deviceFamily == "Other")
  }

  @Test func matchingIsCaseSensitiveAndUnanchored() throws {
    let rules = try parser(browser: "[{regex: '(Foo)'}]")
    #expect(rules.parse("xxFooxx").browserFamily == "Foo")
    #expect(rules.parse("foo").browserFamily == "Other")
  }
}

@Suite struct OSReplacementTests {
  @Test func fiveGroupsFillFamilyAndVersions() throws {
    let rules = try parser(os: #"[{regex: '(Foo OS) (\d+)\.(\d+)\.(\d+)\.(\d+)'}]"#)
    let info = rules.parse("Foo OS 1.2.3.4")
    #expect(info.osFamily == "Foo OS")
    #expect(info.osMajor == "1")
    #expect(info.osMinor == "2")
    #expect(info.osPatch == "3")
    #expect(info.osPatchMinor == "4")
  }

  @Test func replacementsOverrideEachPart() throws {
    let rules = try parser(
      os: """
        [{regex: 'Win(95|98)', os_replacement: 'Windows $1', os_v1_replacement: '$1',
          os_v2_replacement: 'a', os_v3_replacement: 'b', os_v4_replacement: 'c'}]
        """)
    let info = rules.parse("Win98")
    #expect(info.osFamily == "Windows 98")
    #expect(info.osMajor == "98")
    #expect(info.osMinor == "a")
    #expect(info.osPatch == "b")
    #expect(info.osPatchMinor == "c")
  }
}

@Suite struct DeviceReplacementTests {
  @Test func firstGroupIsFamilyAndModel() throws {
    let info = try parser(device: "[{regex: '; (PEDI_W) Build'}]").parse("; PEDI_W Build")
    #expect(info.deviceFamily == "PEDI_W")
    #expect(info.deviceBrand == nil)
    #expect(info.deviceModel == "PEDI_W")
  }

  @Test func replacementsUseAnyGroup() throws {
    let rules = try parser(
      device: """
        [{regex: '; *(PEDI)_(PLUS)_(W) Build', device_replacement: 'Odys $1 $2 $3',
          brand_replacement: 'Odys', model_replacement: '$1 $2 $3'}]
        """)
    let info = rules.parse("(Linux; U; Android 4.2.2; de-de; PEDI_PLUS_W Build/JDQ39)")
    #expect(info.deviceFamily == "Odys PEDI PLUS W")
    #expect(info.deviceBrand == "Odys")
    #expect(info.deviceModel == "PEDI PLUS W")
  }

  @Test func caseInsensitiveFlag() throws {
    let rules = try parser(
      device: "[{regex: 'acme (x1)', regex_flag: 'i', brand_replacement: 'Acme'}]")
    let info = rules.parse("ACME X1")
    #expect(info.deviceFamily == "X1")
    #expect(info.deviceBrand == "Acme")
  }

  @Test func emptyModelIsNil() throws {
    let rules = try parser(
      device: "[{regex: 'Foo', device_replacement: 'Foo', model_replacement: '$1'}]")
    let info = rules.parse("Foo")
    #expect(info.deviceFamily == "Foo")
    #expect(info.deviceModel == nil)
  }

  @Test func nonASCIIGroupKeepsWholeCharacters() throws {
    let info = try parser(device: "[{regex: '(.{3}) Build'}]").parse("; Télé Build")
    #expect(info.deviceFamily == "élé")
  }
}

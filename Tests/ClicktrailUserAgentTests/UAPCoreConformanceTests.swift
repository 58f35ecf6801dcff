import ClicktrailUserAgent
import Testing

/// Runs every case of the test files that uap-core ships next to its rules.
@Suite(
  .enabled(
    if: UAPCoreFixtures.isInstalled,
    "uap-core is not installed: apt-get install uap-core (scripts/install-deps does it)"))
struct UAPCoreConformanceTests {
  @Test("Browser of each test_ua.yaml case", arguments: UAPCoreFixtures.cases("test_ua.yaml"))
  func browser(_ testCase: UAPCoreCase) throws {
    let info = try #require(UAPCoreFixtures.parser).parse(testCase.userAgent)
    #expect(info.browserFamily == testCase.expected["family"])
    #expect(info.browserMajor == testCase.expected["major"])
    #expect(info.browserMinor == testCase.expected["minor"])
    #expect(info.browserPatch == testCase.expected["patch"])
  }

  @Test("OS of each test_os.yaml case", arguments: UAPCoreFixtures.cases("test_os.yaml"))
  func os(_ testCase: UAPCoreCase) throws {
    let info = try #require(UAPCoreFixtures.parser).parse(testCase.userAgent)
    #expect(info.osFamily == testCase.expected["family"])
    #expect(info.osMajor == testCase.expected["major"])
    #expect(info.osMinor == testCase.expected["minor"])
    #expect(info.osPatch == testCase.expected["patch"])
    #expect(info.osPatchMinor == testCase.expected["patch_minor"])
  }

  @Test(
    "Device of each test_device.yaml case", arguments: UAPCoreFixtures.cases("test_device.yaml"))
  func device(_ testCase: UAPCoreCase) throws {
    let info = try #require(UAPCoreFixtures.parser).parse(testCase.userAgent)
    #expect(info.deviceFamily == testCase.expected["family"])
    #expect(info.deviceBrand == testCase.expected["brand"])
    #expect(info.deviceModel == testCase.expected["model"])
  }
}

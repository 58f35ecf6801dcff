/// The browser, OS and device that the ua-parser rules find in one User-Agent header, plus the
/// device type that reports group visits by.
///
/// A family is "Other" when no rule of its list matched or the matching rule left it empty.
/// A version part, brand or model is nil when the rule gave none.
public struct UserAgentInfo: Sendable, Hashable {
  public var browserFamily: String
  public var browserMajor: String?
  public var browserMinor: String?
  public var browserPatch: String?
  public var osFamily: String
  public var osMajor: String?
  public var osMinor: String?
  public var osPatch: String?
  public var osPatchMinor: String?
  public var deviceFamily: String
  public var deviceBrand: String?
  public var deviceModel: String?
  /// The report category, derived from the fields above and the header by `DeviceType.init`.
  public var deviceType: DeviceType

  public init(
    browserFamily: String = "Other", browserMajor: String? = nil, browserMinor: String? = nil,
    browserPatch: String? = nil, osFamily: String = "Other", osMajor: String? = nil,
    osMinor: String? = nil, osPatch: String? = nil, osPatchMinor: String? = nil,
    deviceFamily: String = "Other", deviceBrand: String? = nil, deviceModel: String? = nil,
    deviceType: DeviceType = .other
  ) {
    self.browserFamily = browserFamily
    self.browserMajor = browserMajor
    self.browserMinor = browserMinor
    self.browserPatch = browserPatch
    self.osFamily = osFamily
    self.osMajor = osMajor
    self.osMinor = osMinor
    self.osPatch = osPatch
    self.osPatchMinor = osPatchMinor
    self.deviceFamily = deviceFamily
    self.deviceBrand = deviceBrand
    self.deviceModel = deviceModel
    self.deviceType = deviceType
  }
}

import ClicktrailReport

/// Chooses the user-agent classifier the report uses.
enum ReportClassifiers {
  static func make() -> DeviceClassifier {
    SimpleDeviceClassifier()
  }
}

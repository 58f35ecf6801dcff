import ClicktrailCatalogue

/// The simulated SMS campaign: two campaigns of one SMS gateway, segmented by gender and age
/// band, with behaviour that differs by segment so that reports have something to find.
///
/// Rates by segment (docs/simulator.md and SampleLogs/README.md repeat this table):
///
/// | gender | age | share of recipients | open rate | lander CTR | conversion rate |
/// | --- | --- | --- | --- | --- | --- |
/// | male | 18-24 | 7.2% | 10% | 30% | 10% |
/// | male | 25-34 | 12.0% | 14% | 38% | 18% |
/// | male | 35-44 | 11.5% | 13% | 36% | 22% |
/// | male | 45-54 | 9.6% | 10% | 31% | 16% |
/// | male | 55+ | 7.7% | 6% | 24% | 10% |
/// | female | 18-24 | 7.8% | 12% | 34% | 12% |
/// | female | 25-34 | 13.0% | 18% | 45% | 24% |
/// | female | 35-44 | 12.5% | 16% | 42% | 26% |
/// | female | 45-54 | 10.4% | 11% | 33% | 18% |
/// | female | 55+ | 8.3% | 7% | 27% | 12% |
///
/// The open rate is the share of delivered recipients who open the link at least once. The
/// lander CTR is the chance that a visit of the `winter` campaign clicks through, times the
/// lander's factor. The conversion rate is the chance that a click converts, times the
/// offer's factor; a visit of the direct-linking `flash` campaign converts with half that.
struct Scenario {
  struct Segment {
    let gender: String
    let age: String
    let share: Double
    let openRate: Double
    let landerCTR: Double
    let conversionRate: Double

    /// The segment label as short links and the logs write it, values percent-encoded:
    /// `gender=male&age=25-34`, `gender=female&age=55%2B`.
    var label: String {
      "gender=\(PercentEncoding.encode(gender))&age=\(PercentEncoding.encode(age))"
    }
  }

  struct CampaignPlan {
    let key: String
    let message: String
    let directLinking: Bool
    let attributionWindowDays: Int
  }

  static let genderShares: [(String, Double)] = [("male", 0.48), ("female", 0.52)]
  static let ageShares: [(String, Double)] = [
    ("18-24", 0.15), ("25-34", 0.25), ("35-44", 0.24), ("45-54", 0.20), ("55+", 0.16),
  ]
  /// Open rate, lander CTR and conversion rate by gender and age band, in `ageShares` order.
  static let rates: [String: [(Double, Double, Double)]] = [
    "male": [
      (0.10, 0.30, 0.10), (0.14, 0.38, 0.18), (0.13, 0.36, 0.22), (0.10, 0.31, 0.16),
      (0.06, 0.24, 0.10),
    ],
    "female": [
      (0.12, 0.34, 0.12), (0.18, 0.45, 0.24), (0.16, 0.42, 0.26), (0.11, 0.33, 0.18),
      (0.07, 0.27, 0.12),
    ],
  ]

  static let segments: [Segment] = genderShares.flatMap { gender, genderShare in
    ageShares.enumerated().map { index, entry in
      let (open, ctr, conversion) = rates[gender]![index]
      return Segment(
        gender: gender, age: entry.0, share: genderShare * entry.1, openRate: open,
        landerCTR: ctr, conversionRate: conversion)
    }
  }

  static let campaigns = [
    CampaignPlan(
      key: "winter",
      message: "ShieldVPN winter deal: 3 months of private browsing, free. Claim it: {link} "
        + "Reply STOP to opt out",
      directLinking: false, attributionWindowDays: 7),
    // The emoji makes the text UCS-2, so it takes 2 segments and costs twice as much.
    CampaignPlan(
      key: "flash",
      message: "48h flash sale 🔥 ShieldVPN annual plan 70% off: {link} STOP to opt out",
      directLinking: true, attributionWindowDays: 3),
  ]

  /// The click-through factor of each lander of `winter` (chosen 3:1 by the service).
  static let landerFactors: [String: Double] = ["quiz": 1.1, "story": 0.8]
  /// The conversion factor of each offer.
  static let offerFactors: [String: Double] = ["vpn-monthly": 1.0, "vpn-annual": 0.45]
  /// The payout that the network reports for each offer, in US dollars.
  static let offerPayouts: [String: String] = ["vpn-monthly": "4.50", "vpn-annual": "18.00"]
  /// The conversion factor of direct linking, relative to a lander click.
  static let directConversionFactor = 0.5

  /// The gateway's price of one SMS segment in millionths of a US dollar (0.0079 USD).
  static let segmentPriceMicros: Int64 = 7_900
  /// Delivery outcomes and their shares; undelivered and failed carry an error code.
  static let deliveryShares: [(DeliveryStatus, Double)] = [
    (.delivered, 0.92), (.undelivered, 0.05), (.failed, 0.03),
  ]
  /// Twilio error codes: 30003 unreachable handset, 30005 unknown handset, 30006 landline or
  /// unreachable carrier, 30008 unknown error, 30007 carrier filtering, 30034 unregistered
  /// sender.
  static let undeliveredCodes = [30003, 30005, 30006, 30008]
  static let failedCodes = [30007, 30008, 30034]

  /// The UTC hours at which a batch goes out each day: 09:00, 12:00 and 16:00 in New York
  /// during standard time.
  static let batchHours = [14, 17, 21]
  /// Messages the gateway sends per second within a batch.
  static let messagesPerSecond = 25
  /// The largest recipient count, set by the fictional number ranges (see `PhoneNumbers`).
  static let maxRecipients = 50_000
}

/// The status the gateway reports for a message.
enum DeliveryStatus: String {
  case delivered, undelivered, failed
}

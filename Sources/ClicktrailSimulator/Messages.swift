import ClicktrailCatalogue

/// The kind of phone and browser a recipient opens links with.
enum Device: CaseIterable {
  case iPhoneSafari, iPhoneChrome, androidChrome, samsungInternet

  static let shares: [(Device, Double)] = [
    (.iPhoneSafari, 0.52), (.iPhoneChrome, 0.03), (.androidChrome, 0.33),
    (.samsungInternet, 0.12),
  ]

  var isIPhone: Bool { self == .iPhoneSafari || self == .iPhoneChrome }
}

/// One SMS the gateway sent, with the outcome it reported.
struct Message {
  let phone: String
  let campaign: Int
  let segment: Int
  let sentAt: Int64
  let status: DeliveryStatus
  let errorCode: Int?
  let segments: Int
  /// The price the gateway charged, in millionths of a US dollar; 0 when it charged nothing.
  let priceMicros: Int64
  let sid: String
  /// The time the handset received the message, a few seconds after sending.
  let deliveredAt: Int64
  let device: Device
  let agent: String

}

/// Builds the messages of a run: recipients in batches, each with a segment, a number from
/// the fictional ranges, a delivery outcome and a price.
enum MessagePlanner {
  /// Returns the messages in sending order. Batches go out at `Scenario.batchHours` each day,
  /// campaigns alternate batch by batch, and each batch sends at `messagesPerSecond`.
  static func messages(
    recipients: Int, days: Int, start: Int64, catalogue: ScenarioCatalogue,
    random: inout SimulationRandom
  ) -> [Message] {
    let batchCount = days * Scenario.batchHours.count
    var numbers = PhoneNumbers()
    let segmentChoices = Scenario.segments.indices.map { ($0, Scenario.segments[$0].share) }
    let lengths = Scenario.campaigns.map { campaign in
      let link = "\(ScenarioCatalogue.publicURL)/XXXXX"
      return SMSLength(measuring: campaign.message.replacingOccurrences(of: "{link}", with: link))
        .segments
    }
    var messages: [Message] = []
    messages.reserveCapacity(recipients)
    for batch in 0..<batchCount {
      let day = batch / Scenario.batchHours.count
      let hour = Scenario.batchHours[batch % Scenario.batchHours.count]
      let batchStart = start + Int64(day) * 86_400_000 + Int64(hour) * 3_600_000
      let campaign = batch % Scenario.campaigns.count
      let first = recipients * batch / batchCount
      let end = recipients * (batch + 1) / batchCount
      for position in 0..<(end - first) {
        let sentAt =
          batchStart + Int64(position) * 1_000 / Int64(Scenario.messagesPerSecond)
          + Int64(random.integer(in: 0...39))
        let status = random.weighted(Scenario.deliveryShares)
        let errorCode: Int? =
          switch status {
          case .delivered: nil
          case .undelivered: Scenario.undeliveredCodes[random.integer(in: 0...3)]
          case .failed: Scenario.failedCodes[random.integer(in: 0...2)]
          }
        let deliveredAt = sentAt + Int64(random.integer(in: 2_000...12_000))
        let device = random.weighted(Device.shares)
        let segments = lengths[campaign]
        messages.append(
          Message(
            phone: numbers.next(using: &random), campaign: campaign,
            segment: random.weighted(segmentChoices), sentAt: sentAt, status: status,
            errorCode: errorCode, segments: segments,
            priceMicros: status == .failed ? 0 : Int64(segments) * Scenario.segmentPriceMicros,
            sid: "SM" + random.hex(count: 32), deliveredAt: deliveredAt, device: device,
            agent: UserAgents.visitor(device, using: &random)))
      }
    }
    return messages
  }
}

/// Hands out distinct phone numbers from the ranges that the North American Numbering Plan
/// reserves for fiction: 555-0100 to 555-0199 in every area code.
struct PhoneNumbers {
  /// Area codes of the form NXX: N is 2 to 9, the middle digit 0 to 8, without the service
  /// codes N00 and N11, the toll-free codes 833 to 888 and 555. That gives 697 codes and
  /// 69,700 numbers, enough for `Scenario.maxRecipients`.
  static let areaCodes: [Int] = (200...999).filter { code in
    let middle = code / 10 % 10
    let last = code % 10
    let special = [555, 833, 844, 855, 866, 877, 888].contains(code)
    return middle != 9 && !(middle == 1 && last == 1) && !(middle == 0 && last == 0) && !special
  }

  private var used = Set<Int>()

  /// Returns a number not handed out before, in E.164 form such as `+12125550142`.
  /// - Precondition: fewer than 69,700 numbers were handed out.
  mutating func next(using random: inout SimulationRandom) -> String {
    let capacity = Self.areaCodes.count * 100
    var index = random.integer(in: 0...(capacity - 1))
    while used.contains(index) { index = (index + 1) % capacity }
    used.insert(index)
    let line = 100 + index % 100
    return "+1\(Self.areaCodes[index / 100])5550\(line)"
  }
}

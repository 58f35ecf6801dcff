import ClicktrailCatalogue
import Foundation

/// `clicktrail links`: prints the campaign URL and short link of every segment of every
/// campaign, and warns about SMS texts that need more than one segment.
struct LinksCommand: Subcommand {
  static let name = "links"
  static let summary = "Prints the links of every campaign segment and checks SMS lengths."
  static let usage = "links --config FILE [--message TEMPLATE]"
  static let discussion = """
    Loads and validates the campaign catalogue, then prints one tab-separated line per \
    segment: the campaign key, the segment, the campaign URL and the short link. Each short \
    link is a segment, labelled with its fixed parameters such as gender=male&age=25-34. \
    Each campaign also gets a "template" line, whose URL carries the source's placeholder \
    for every parameter and which has no short link.

    When a campaign has a message, the message is measured with the segment's link in place \
    of {link}, and a warning on standard error names every text that does not fit one SMS: \
    160 GSM-7 characters, or 70 UTF-16 code units when a character outside GSM-7 forces \
    UCS-2.

    Exits 0 when the catalogue is valid, even with warnings, and 1 with every validation \
    error when it is not.
    """
  static let options: [OptionSpec] = [
    .value(
      "config", "FILE",
      help: "Sets the campaign catalogue, a JSON file, to load. This option is required."),
    .value(
      "message", "TEMPLATE",
      help:
        "Sets the SMS text to measure for every campaign, in place of the campaigns' own "
        + "messages. It must contain {link}, which is replaced by each segment's link."),
  ]

  let configPath: String
  let messageOverride: String?

  init(arguments: ParsedArguments) throws(UsageError) {
    guard let config = arguments.value("config") else {
      throw UsageError("option '--config' is required")
    }
    guard arguments.positionals.isEmpty else {
      throw UsageError("unexpected argument '\(arguments.positionals[0])'")
    }
    let message = arguments.value("message")
    if let message, !message.contains("{link}") {
      throw UsageError("the '--message' text must contain {link} where the link goes")
    }
    configPath = config
    messageOverride = message
  }

  func run(console: Console) throws(CommandFailure) -> ExitStatus {
    let catalogue: Catalogue
    do {
      catalogue = try Catalogue.load(contentsOf: URL(fileURLWithPath: configPath))
    } catch {
      for problem in error.problems {
        console.writeError("\(configPath): error: \(problem)\n")
      }
      let count = error.problems.count
      throw CommandFailure(
        "the catalogue has \(count) \(count == 1 ? "problem" : "problems"); fix and rerun")
    }
    for row in Self.rows(catalogue) {
      console.writeOutput(
        [row.campaign, row.segment, row.campaignURL, row.shortLinkURL ?? ""]
          .joined(separator: "\t") + "\n")
      let template = messageOverride ?? row.message
      guard let template else { continue }
      // NOTE: The template line is measured with the placeholder in the URL, so the length
      // of the text actually sent depends on the values the sender fills in.
      let text = template.replacingOccurrences(
        of: "{link}", with: row.shortLinkURL ?? row.campaignURL)
      let length = SMSLength(measuring: text)
      if !length.fitsOneSegment {
        console.writeError(Self.warning(row: row, length: length))
      }
    }
    return .success
  }

  // MARK: - Rows and warnings

  struct Row {
    var campaign: String
    var segment: String
    var campaignURL: String
    var shortLinkURL: String?
    var message: String?
  }

  /// Returns the rows in catalogue order: per campaign, the template line, then its short
  /// links.
  static func rows(_ catalogue: Catalogue) -> [Row] {
    var rows: [Row] = []
    for campaign in catalogue.campaigns {
      rows.append(
        Row(
          campaign: campaign.key, segment: "template",
          campaignURL: catalogue.templateURL(campaign: campaign), shortLinkURL: nil,
          message: campaign.message))
      for link in catalogue.shortLinks(campaign: campaign.key) {
        rows.append(
          Row(
            campaign: campaign.key, segment: link.segment,
            campaignURL: catalogue.campaignURL(shortLink: link) ?? "",
            shortLinkURL: catalogue.shortLinkURL(link), message: campaign.message))
      }
    }
    return rows
  }

  static func warning(row: Row, length: SMSLength) -> String {
    let unit = length.encoding == .gsm7 ? "characters" : "UTF-16 code units"
    return "warning: campaign \"\(row.campaign)\", segment \"\(row.segment)\": the message is "
      + "\(length.units) \(unit) in \(length.encoding.rawValue), over the "
      + "\(length.singleSegmentLimit) that fit one SMS; it takes \(length.segments) "
      + "segments of up to \(length.concatenatedSegmentLimit)\n"
  }
}

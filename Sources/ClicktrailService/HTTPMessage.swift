/// One HTTP request as the service's handler receives it.
public struct HTTPRequest: Sendable {
  /// The method in capitals, such as `GET`.
  public var method: String
  /// The path without the query string, percent-decoded by libmicrohttpd.
  public var path: String
  /// The query arguments in request order, percent-decoded.
  public var query: [QueryItem]
  /// The header fields that the server is configured to read, by lowercase name.
  public var headers: [String: String]
  /// The body, for methods that carry one; empty otherwise.
  public var body: [UInt8]
  /// The peer's IP address in text form, such as `127.0.0.1` or `::1`.
  public var clientAddress: String

  public init(
    method: String, path: String, query: [QueryItem] = [], headers: [String: String] = [:],
    body: [UInt8] = [], clientAddress: String = ""
  ) {
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
    self.body = body
    self.clientAddress = clientAddress
  }

  /// Returns the first value of the query argument `name`, or nil.
  public func queryValue(_ name: String) -> String? {
    query.first { $0.name == name }?.value
  }
}

/// A query argument: a name and its value, both percent-decoded.
public struct QueryItem: Sendable, Hashable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// The handler's answer to a request.
public struct HTTPResponse: Sendable {
  /// The status code, such as 302.
  public var status: Int
  /// The header fields to send, in order.
  public var headers: [(name: String, value: String)]
  /// The body bytes.
  public var body: [UInt8]
  /// Work to do once libmicrohttpd has accepted the response for sending, such as logging
  /// the event, so that a request whose answer cannot be sent is not logged.
  public var onQueued: (@Sendable () -> Void)?

  public init(
    status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
    onQueued: (@Sendable () -> Void)? = nil
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.onQueued = onQueued
  }

  /// Creates a plain-text response.
  public static func text(_ status: Int, _ text: String) -> HTTPResponse {
    HTTPResponse(
      status: status,
      headers: [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")],
      body: Array(text.utf8))
  }
}

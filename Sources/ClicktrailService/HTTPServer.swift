import CMicroHTTPD
import Foundation
import Synchronization

/// An HTTP/1.1 server on GNU libmicrohttpd that passes each request to a handler.
///
/// libmicrohttpd runs a pool of `threads` threads, each with its own epoll loop, and calls
/// the handler on them; the handler must therefore be thread-safe. libmicrohttpd parses the
/// request, enforces the connection limits and timeouts, and answers requests whose URL or
/// header fields overflow the per-connection memory with a 4xx status itself.
public final class HTTPServer: @unchecked Sendable {
  /// The settings passed to libmicrohttpd when the server starts.
  public struct Configuration: Sendable {
    /// The address and port to listen on.
    public var address: ListenAddress
    /// The maximum number of open connections; more are refused. Default 4096.
    public var connectionLimit: Int = 4096
    /// The maximum number of connections from one IP address; 0 means no limit (default),
    /// because mobile carriers put many visitors behind one address.
    public var perAddressConnectionLimit: Int = 0
    /// Seconds of inactivity after which a connection is closed. Default 15.
    public var idleTimeoutSeconds: Int = 15
    /// The number of threads in libmicrohttpd's pool. Default: the number of cores.
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    /// The memory per connection for the request line, header fields, arguments and the
    /// response's header fields, in bytes. A request whose header fields do not fit gets a
    /// 4xx status from libmicrohttpd. Default 64 KiB: libmicrohttpd 0.9.75 zeroes the whole
    /// block before each request on a kept-alive connection, so a larger block costs time on
    /// every request.
    /// NOTE: libmicrohttpd closes the connection without an answer when a request has more
    /// arguments than fit (about 1,000 short pairs at 64 KiB); such a request never reaches
    /// the handler, so nothing is logged for it.
    public var connectionMemoryBytes: Int = 64 * 1024
    /// The longest request target (path and query) accepted, in bytes; a longer one gets 414
    /// before the handler sees it. Default 4 KiB, several times any real campaign URL or
    /// postback.
    public var maxTargetBytes: Int = 4 * 1024
    /// The lowercase names of the header fields passed to the handler. Only these are read,
    /// which saves work on every request. Default: the fields the redirect service uses.
    public var headerNames = [
      "user-agent", "referer", "cookie", "purpose", "sec-purpose", "x-purpose", "x-moz",
      "content-type",
    ]
    /// The largest request body accepted, in bytes; a larger one gets 413. Default 16 KiB.
    public var maxBodyBytes: Int = 16 * 1024
    /// A PEM private key and certificate chain; both set turn on TLS.
    public var tlsKeyPEM: String?
    public var tlsCertificatePEM: String?

    public init(address: ListenAddress) {
      self.address = address
    }
  }

  /// The request handler; called concurrently on libmicrohttpd's threads.
  public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

  let handler: Handler
  /// Receives the status of each response the server sends without the handler (413, 414,
  /// 503), so that the service's metrics count them too.
  let onOwnAnswer: (@Sendable (Int) -> Void)?
  let configuration: Configuration
  /// Requests whose header has arrived and whose response has not been sent yet.
  let requestsInFlight = Atomic<Int>(0)
  private let quiesced = Atomic<Bool>(false)
  /// The listening socket that `MHD_quiesce_daemon` handed back, or -1. libmicrohttpd's
  /// threads may still use it until `MHD_stop_daemon` returns, so only `stop` closes it.
  private let quiescedSocket = Atomic<Int32>(-1)
  /// Set once `stop` begins: requests that reach the handler from then on get 503 and are
  /// not passed to it, so that a request is either answered and handled, or neither.
  let draining = Atomic<Bool>(false)
  private var daemon: OpaquePointer?
  /// The port the server listens on, which the system chose when the configured port is 0.
  public private(set) var port: UInt16 = 0

  /// Starts listening and serving.
  /// - Throws: `HTTPServerError` when the address cannot be bound (in use, not local,
  ///   no permission) or TLS is requested but libmicrohttpd was built without it.
  public init(
    configuration: Configuration, onOwnAnswer: (@Sendable (Int) -> Void)? = nil,
    handler: @escaping Handler
  ) throws(HTTPServerError) {
    self.configuration = configuration
    self.handler = handler
    self.onOwnAnswer = onOwnAnswer
    if configuration.tlsKeyPEM != nil,
      MHD_is_feature_supported(.FEATURE_TLS) != .YES
    {
      throw HTTPServerError("this libmicrohttpd was built without TLS support")
    }
    var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
    flags |= MHD_USE_ITC.rawValue  // needed by MHD_quiesce_daemon
    if configuration.address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
    let context = Unmanaged.passUnretained(self).toOpaque()
    let started = configuration.address.withSocketAddress { address in
      ct_mhd_start(
        UInt32(flags), address, UInt32(configuration.connectionLimit),
        UInt32(configuration.perAddressConnectionLimit), UInt32(configuration.idleTimeoutSeconds),
        UInt32(max(1, configuration.threads)), configuration.connectionMemoryBytes,
        configuration.tlsKeyPEM, configuration.tlsCertificatePEM, accessHandler, context,
        requestCompleted, context)
    }
    guard let started else {
      if let reason = Self.bindFailure(configuration.address) {
        throw HTTPServerError("could not listen on \(configuration.address): \(reason)")
      }
      if configuration.tlsKeyPEM != nil {
        throw HTTPServerError(
          "could not start HTTPS on \(configuration.address): libmicrohttpd rejected the TLS "
            + "key or certificate; check that both are PEM, that the key is unencrypted and "
            + "that it matches the certificate")
      }
      throw HTTPServerError("could not start the HTTP server on \(configuration.address)")
    }
    daemon = started
    port = ct_mhd_bound_port(started)
  }

  deinit {
    stop()
  }

  /// Tries to bind `address` and returns why that fails (port in use, no permission,
  /// address not on this host), or nil when it can be bound.
  static func bindFailure(_ address: ListenAddress) -> String? {
    let descriptor = socket(address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return String(cString: strerror(errno)) }
    defer { close(descriptor) }
    var reuse: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    let length = socklen_t(
      address.isIPv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    let status = address.withSocketAddress { bind(descriptor, $0, length) }
    guard status != 0 else { return nil }
    let code = errno
    switch code {
    case EADDRINUSE: return "the port is in use by another process"
    case EACCES: return "permission denied; ports below 1024 need privileges"
    case EADDRNOTAVAIL: return "the address is not an address of this host"
    default: return String(cString: strerror(code))
    }
  }

  /// Stops accepting new connections; connections already open are still served.
  /// Idempotent.
  public func stopAccepting() {
    guard let daemon, !quiesced.exchange(true, ordering: .acquiringAndReleasing) else { return }
    quiescedSocket.store(MHD_quiesce_daemon(daemon), ordering: .releasing)
  }

  /// Stops the server: stops accepting, waits up to `drainTimeout` for every request
  /// already received to be answered, then closes every connection. Idempotent.
  public func stop(drainTimeout: Duration = .seconds(10)) {
    guard let daemon else { return }
    stopAccepting()
    draining.store(true, ordering: .sequentiallyConsistent)
    let deadline = ContinuousClock.now + drainTimeout
    while requestsInFlight.load(ordering: .acquiring) > 0 && ContinuousClock.now < deadline {
      usleep(5_000)
    }
    self.daemon = nil
    MHD_stop_daemon(daemon)
    // Closing the socket earlier made libmicrohttpd abort when it removed the socket from
    // its epoll set.
    let socket = quiescedSocket.exchange(-1, ordering: .acquiringAndReleasing)
    if socket >= 0 { close(socket) }
  }
}

/// A server that could not start.
public struct HTTPServerError: Error, Sendable, CustomStringConvertible {
  public let description: String

  init(_ description: String) {
    self.description = description
  }
}

// MARK: - Callbacks from libmicrohttpd's threads

/// The state of one request across libmicrohttpd's calls: the body received so far.
private final class RequestState {
  var body: [UInt8] = []
  var bodyTooLarge = false
}

/// Handles one call for a request. libmicrohttpd calls it once when the header is parsed,
/// then once per chunk of body, then a last time with no data. The response is queued on a
/// later call, never the first: queueing on the first call makes libmicrohttpd close the
/// connection instead of keeping it alive.
private func accessHandler(
  context: UnsafeMutableRawPointer?, connection: OpaquePointer?, url: UnsafePointer<CChar>?,
  method: UnsafePointer<CChar>?, version: UnsafePointer<CChar>?,
  uploadData: UnsafePointer<CChar>?, uploadDataSize: UnsafeMutablePointer<Int>?,
  requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
  guard let context, let connection, let requestContext, let uploadDataSize else { return .NO }
  let server = Unmanaged<HTTPServer>.fromOpaque(context).takeUnretainedValue()
  guard let stateAddress = requestContext.pointee else {
    requestContext.pointee = Unmanaged.passRetained(RequestState()).toOpaque()
    server.requestsInFlight.add(1, ordering: .relaxed)
    // A declared body over the limit is refused before it is read, so that a client cannot
    // keep the connection busy sending bytes that would be discarded. libmicrohttpd closes the
    // connection after this early answer, since the body was never read.
    if let length = declaredBodyLength(connection), length > server.configuration.maxBodyBytes {
      server.onOwnAnswer?(413)
      var response = HTTPResponse.text(413, "Request body too large.\n")
      response.headers.append(("Connection", "close"))
      return queue(response, on: connection)
    }
    return .YES
  }
  let state = Unmanaged<RequestState>.fromOpaque(stateAddress).takeUnretainedValue()
  if uploadDataSize.pointee > 0 {
    if let uploadData,
      state.body.count + uploadDataSize.pointee <= server.configuration.maxBodyBytes
    {
      uploadData.withMemoryRebound(to: UInt8.self, capacity: uploadDataSize.pointee) {
        state.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: uploadDataSize.pointee))
      }
    } else {
      // NOTE: a chunked body is read to its end before the 413, because libmicrohttpd 0.9.75
      // refuses a response queued while the body is still arriving.
      state.bodyTooLarge = true
    }
    uploadDataSize.pointee = 0
    return .YES
  }
  let response: HTTPResponse
  var ownAnswer = true
  if server.draining.load(ordering: .sequentiallyConsistent) {
    response = HTTPResponse(
      status: 503,
      headers: [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")],
      body: Array("The service is stopping; try again.\n".utf8))
  } else if state.bodyTooLarge {
    response = .text(413, "Request body too large.\n")
  } else {
    let arguments = collectArguments(connection)
    if targetLength(url: url, arguments: arguments) > server.configuration.maxTargetBytes {
      response = .text(414, "Request target too long.\n")
    } else {
      response = handle(
        server, connection, url: url, method: method, arguments: arguments, body: state.body)
      ownAnswer = false
    }
  }
  if ownAnswer { server.onOwnAnswer?(response.status) }
  return queue(response, on: connection)
}

/// Returns the request's `Content-Length` when it is a decimal number, else nil.
private func declaredBodyLength(_ connection: OpaquePointer) -> Int? {
  guard let value = MHD_lookup_connection_value(connection, .HEADER_KIND, "content-length")
  else { return nil }
  let text = String(cString: value)
  guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
  // A number too long for Int is larger than any limit.
  return Int(text) ?? Int.max
}

/// Returns the length of the request target: the path and the decoded arguments.
private func targetLength(url: UnsafePointer<CChar>?, arguments: [QueryItem]) -> Int {
  var length = url.map { strlen($0) } ?? 0
  for argument in arguments {
    length += argument.name.utf8.count + argument.value.utf8.count + 2
  }
  return length
}

/// Builds the request and passes it to the handler.
private func handle(
  _ server: HTTPServer, _ connection: OpaquePointer, url: UnsafePointer<CChar>?,
  method: UnsafePointer<CChar>?, arguments: [QueryItem], body: [UInt8]
) -> HTTPResponse {
  let request = HTTPRequest(
    method: method.map { String(cString: $0) } ?? "",
    path: url.map { String(cString: $0) } ?? "/",
    query: arguments,
    headers: lookUpHeaders(server.configuration.headerNames, on: connection),
    body: body,
    clientAddress: ct_mhd_client_address(connection).map(numericHost) ?? "")
  return server.handler(request)
}

private func requestCompleted(
  context: UnsafeMutableRawPointer?, connection: OpaquePointer?,
  requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
  reason: MHD_RequestTerminationCode
) {
  guard let requestContext, let stateAddress = requestContext.pointee else { return }
  Unmanaged<RequestState>.fromOpaque(stateAddress).release()
  requestContext.pointee = nil
  if let context {
    let server = Unmanaged<HTTPServer>.fromOpaque(context).takeUnretainedValue()
    server.requestsInFlight.subtract(1, ordering: .releasing)
  }
}

private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
  // libmicrohttpd copies the body and never writes to the pointer it is given, so the
  // response's own bytes are passed without a mutable copy.
  let created = response.body.withUnsafeBytes {
    MHD_create_response_from_buffer(
      $0.count, UnsafeMutableRawPointer(mutating: $0.baseAddress), .RESPMEM_MUST_COPY)
  }
  guard let created else { return .NO }
  defer { MHD_destroy_response(created) }
  for header in response.headers {
    let added = header.name.withCString { name in
      header.value.withCString { MHD_add_response_header(created, name, $0) }
    }
    guard added == .YES else {
      // libmicrohttpd rejects field values with CR or LF; answering without the field
      // would be wrong, so the connection is closed instead.
      return .NO
    }
  }
  let queued = MHD_queue_response(connection, UInt32(response.status), created)
  if queued == .YES { response.onQueued?() }
  return queued
}

/// Collects the query arguments with their full lengths, so that a `%00` in a value is
/// kept as a NUL character instead of ending the value.
private func collectArguments(_ connection: OpaquePointer) -> [QueryItem] {
  let list = PairList()
  let context = Unmanaged.passUnretained(list).toOpaque()
  _ = MHD_get_connection_values_n(connection, .GET_ARGUMENT_KIND, appendSizedPair, context)
  return list.pairs.map { QueryItem(name: $0.0, value: $0.1) }
}

private func appendSizedPair(
  context: UnsafeMutableRawPointer?, kind: MHD_ValueKind, key: UnsafePointer<CChar>?,
  keySize: Int, value: UnsafePointer<CChar>?, valueSize: Int
) -> MHD_Result {
  guard let context, let key else { return .YES }
  let list = Unmanaged<PairList>.fromOpaque(context).takeUnretainedValue()
  func text(_ pointer: UnsafePointer<CChar>, _ count: Int) -> String {
    pointer.withMemoryRebound(to: UInt8.self, capacity: count) {
      String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
    }
  }
  list.pairs.append((text(key, keySize), value.map { text($0, valueSize) } ?? ""))
  return .YES
}

/// Returns the values of the header fields `names` (lowercase) that the request carries.
/// libmicrohttpd matches names without regard to case; a repeated field gives its first value.
private func lookUpHeaders(_ names: [String], on connection: OpaquePointer) -> [String: String] {
  var headers: [String: String] = [:]
  for name in names {
    let value = name.withCString { MHD_lookup_connection_value(connection, .HEADER_KIND, $0) }
    if let value {
      headers[name] = String(cString: value)
    }
  }
  return headers
}

/// A growable list that the key-value iterator appends to through its context pointer.
private final class PairList {
  var pairs: [(String, String)] = []
}

import CPoll
import Foundation

/// Sends GET requests to a loopback URL at a fixed rate over keep-alive connections and
/// measures each request's latency from its scheduled send time (see `OpenLoopDispatcher`).
///
/// One thread runs the whole load with `ppoll`, so the generator takes at most one core.
/// Each connection has at most one request in flight (no pipelining).
public struct LoadGenerator {
  /// The settings of one run.
  public struct Configuration: Sendable {
    public var target: LoadTarget
    /// Requests per second, 1 to 1,000,000.
    public var rate: Int
    /// The number of keep-alive connections, 1 to 1,024.
    public var connections: Int
    /// The length of the schedule in seconds, 1 to 60.
    public var durationSeconds: Int
    /// Seconds to wait for the last responses after the schedule ends. Default 5.
    public var drainSeconds: Int = 5

    public init(target: LoadTarget, rate: Int, connections: Int, durationSeconds: Int) {
      self.target = target
      self.rate = rate
      self.connections = connections
      self.durationSeconds = durationSeconds
    }

    /// The number of requests in the run: `rate` times `durationSeconds`.
    public var requestCount: Int { rate * durationSeconds }

    /// Checks every bound, so that a run is limited in count and time.
    public func validate() throws(LoadError) {
      guard (1...1_000_000).contains(rate) else {
        throw LoadError("invalid rate \(rate): use 1 to 1000000 requests per second")
      }
      guard (1...1024).contains(connections) else {
        throw LoadError("invalid connection count \(connections): use 1 to 1024")
      }
      guard (1...60).contains(durationSeconds) else {
        throw LoadError("invalid duration \(durationSeconds) s: use 1 to 60 seconds")
      }
      guard (0...30).contains(drainSeconds) else {
        throw LoadError("invalid drain time \(drainSeconds) s: use 0 to 30 seconds")
      }
      guard requestCount <= 5_000_000 else {
        throw LoadError(
          "\(requestCount) requests is too many: rate times duration must be at most 5000000")
      }
    }
  }

  /// The measurements of one run.
  public struct Result: Sendable {
    /// Latency from each completed request's scheduled send time to its response.
    public let latency: LatencySummary
    /// How late each request was sent after its scheduled time.
    public let sendDelay: LatencySummary
    /// The number of responses by status code.
    public let statuses: [Int: Int]
    /// Requests whose connection failed before a response.
    public let failures: Int
    /// Requests without a response when the drain time ran out, counting those never sent.
    public let timedOut: Int
    /// Responses per second, from the first scheduled send to the last response.
    public let achievedRate: Double
    /// Connections that the server closed and that were opened again.
    public let reconnections: Int
  }

  let configuration: Configuration

  public init(configuration: Configuration) throws(LoadError) {
    try configuration.validate()
    self.configuration = configuration
  }

  /// Opens the connections, runs the schedule, and waits up to `drainSeconds` for the last
  /// responses.
  /// - Throws: `LoadError` when a connection cannot be opened or a response cannot be read.
  public func run() throws(LoadError) -> Result {
    let target = configuration.target
    let request = Array(
      "GET \(target.target) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n\r\n".utf8)
    var sockets: [Int32] = []
    defer {
      for descriptor in sockets where descriptor >= 0 { close(descriptor) }
    }
    for _ in 0..<configuration.connections {
      sockets.append(try Self.connect(to: target))
    }
    var framers = Array(repeating: ResponseFramer(), count: sockets.count)
    var pollDescriptors = sockets.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    var statuses: [Int: Int] = [:]
    var reconnections = 0
    var dispatcher = OpenLoopDispatcher(
      rate: configuration.rate, requestCount: configuration.requestCount,
      connections: sockets.count, start: Self.now() + 10_000_000)
    let deadline =
      dispatcher.dueTime(of: configuration.requestCount)
      + UInt64(configuration.drainSeconds) * 1_000_000_000
    var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)

    func reopen(_ connection: Int) throws(LoadError) {
      close(sockets[connection])
      // Marked closed first: if the new connection fails, the cleanup must not close the
      // number again, which another thread may have reused.
      sockets[connection] = -1
      sockets[connection] = try Self.connect(to: target)
      pollDescriptors[connection].fd = sockets[connection]
      framers[connection].reset()
      reconnections += 1
    }

    while !dispatcher.isFinished {
      var now = Self.now()
      guard now < deadline else { break }
      for connection in dispatcher.dispatch(now: now) {
        let sent = request.withUnsafeBytes {
          send(sockets[connection], $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
        }
        if sent != request.count {
          dispatcher.fail(connection: connection, now: now)
          try reopen(connection)
        }
      }
      let wakeUp = min(dispatcher.nextDueTime ?? deadline, deadline)
      let wait = wakeUp > now ? wakeUp - now : 0
      var timeout = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
      let ready = ct_ppoll(&pollDescriptors, nfds_t(pollDescriptors.count), &timeout)
      guard ready > 0 else { continue }
      now = Self.now()
      for connection in pollDescriptors.indices where pollDescriptors[connection].revents != 0 {
        pollDescriptors[connection].revents = 0
        let count = readBuffer.withUnsafeMutableBytes {
          recv(sockets[connection], $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
        }
        if count < 0, errno == EAGAIN || errno == EINTR { continue }
        if count <= 0 {
          dispatcher.fail(connection: connection, now: now)
          try reopen(connection)
          continue
        }
        readBuffer.withUnsafeBytes { framers[connection].append(.init(rebasing: $0[..<count])) }
        do {
          while let response = try framers[connection].next() {
            statuses[response.status, default: 0] += 1
            dispatcher.complete(connection: connection, now: now)
            if response.closesConnection { try reopen(connection) }
          }
        } catch let failure as ResponseFramer.Failure {
          throw LoadError(
            failure == .unsupportedFraming
              ? "the server sent a response without Content-Length; only such responses are "
                + "supported"
              : "the server sent a malformed response")
        } catch let error as LoadError {
          throw error
        } catch {
          throw LoadError("\(error)")
        }
      }
    }
    let completed = dispatcher.latencies.count
    let seconds = Double(dispatcher.lastCompletion - dispatcher.start) / 1e9
    return Result(
      latency: LatencySummary(dispatcher.latencies),
      sendDelay: LatencySummary(dispatcher.sendDelays),
      statuses: statuses, failures: dispatcher.failures,
      timedOut: configuration.requestCount - completed - dispatcher.failures,
      achievedRate: seconds > 0 ? Double(completed) / seconds : 0,
      reconnections: reconnections)
  }

  /// Returns the monotonic time in nanoseconds.
  static func now() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
  }

  /// Opens a TCP connection to the target with Nagle's algorithm off.
  static func connect(to target: LoadTarget) throws(LoadError) -> Int32 {
    let family = target.isIPv6 ? AF_INET6 : AF_INET
    let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else {
      throw LoadError("could not create a socket: \(String(cString: strerror(errno)))")
    }
    var noDelay: Int32 = 1
    setsockopt(
      descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
    let status: Int32
    if target.isIPv6 {
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = target.port.bigEndian
      address.sin6_addr = in6addr_loopback
      status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    } else {
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = target.port.bigEndian
      inet_pton(AF_INET, target.host, &address.sin_addr)
      status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    }
    guard status == 0 else {
      let reason = String(cString: strerror(errno))
      close(descriptor)
      throw LoadError(
        "could not connect to \(target.hostHeader): \(reason); check that the server runs")
    }
    return descriptor
  }
}

import ClicktrailLog
import ClicktrailTestSupport
import Foundation
import Testing

/// Runs the real `clicktrail serve` executable, as an operator would, to check signals, exit
/// statuses and start-up errors.
@Suite(.enabled(if: ServeProcess.executable != nil, "clicktrail executable not built"))
struct ServeProcessTests {
  @Test func sigtermStopsGracefully() throws {
    let fixture = try LogFixture()
    let catalogue = try fixture.write(Array(ServiceHarness.catalogue.utf8), to: "catalogue.json")
    let logs = fixture.directory.appendingPathComponent("logs").path
    let port = try ServeProcess.freePort()
    let process = try ServeProcess.start([
      "--config", catalogue, "--logs", logs, "--listen", "127.0.0.1:\(port)",
    ])
    let client = try ServeProcess.connect(port: port)
    for index in 0..<25 {
      #expect(try client.request("GET", "/k7Qx2?i=\(index)").status == 302)
    }
    kill(process.processIdentifier, SIGHUP)
    #expect(try client.request("GET", "/c/spring").status == 302)
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let result = LogReader.read(paths: try LogPathExpander.expand([logs]), into: CountingSink.self)
    #expect(result.sink.records == 26)
    let errors = ServeProcess.standardError(of: process)
    #expect(errors.contains("notice clicktrail.serve: started"))
    #expect(errors.contains("notice clicktrail.serve: reloaded catalogue"))
    #expect(errors.contains("notice clicktrail.serve: stopped"))
  }

  @Test(.enabled(if: ServeProcess.tool("openssl") != nil && ServeProcess.tool("curl") != nil))
  func servesHTTPSWithKeyAndCertificate() throws {
    let fixture = try LogFixture()
    let catalogue = try fixture.write(Array(ServiceHarness.catalogue.utf8), to: "catalogue.json")
    let key = fixture.directory.appendingPathComponent("key.pem").path
    let certificate = fixture.directory.appendingPathComponent("cert.pem").path
    let openssl = try ServeProcess.run(
      ServeProcess.tool("openssl")!,
      [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
        "-days", "1", "-subj", "/CN=127.0.0.1",
      ])
    #expect(openssl.status == 0)
    let port = try ServeProcess.freePort()
    let process = try ServeProcess.start([
      "--config", catalogue, "--logs", fixture.directory.path + "/logs",
      "--listen", "127.0.0.1:\(port)", "--tls-key", key, "--tls-cert", certificate,
    ])
    _ = try ServeProcess.connect(port: port)
    let curl = try ServeProcess.run(
      ServeProcess.tool("curl")!,
      [
        "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--max-time", "10",
        "--cacert", certificate, "https://127.0.0.1:\(port)/k7Qx2",
      ])
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(curl.output.hasPrefix("302 https://lp.example.org/quiz/?cid="))
    #expect(process.terminationStatus == 0)
  }

  /// Under load most signals reach a server thread rather than the main thread; every
  /// thread must leave them to the service's signal handling.
  @Test func sigtermUnderLoadStopsAndLogsEveryAnswer() throws {
    let fixture = try LogFixture()
    let catalogue = try fixture.write(Array(ServiceHarness.catalogue.utf8), to: "catalogue.json")
    let logs = fixture.directory.appendingPathComponent("logs").path
    let port = try ServeProcess.freePort()
    let process = try ServeProcess.start([
      "--config", catalogue, "--logs", logs, "--listen", "127.0.0.1:\(port)",
    ])
    _ = try ServeProcess.connect(port: port)
    let load = LoopbackLoad(port: port, workers: 4, requests: 5000) { "/k7Qx2?w=\($0)&i=\($1)" }
    try load.waitForResponses(atLeast: 300)
    kill(process.processIdentifier, SIGTERM)
    let deadline = Date().addingTimeInterval(20)
    while process.process.isRunning && Date() < deadline { usleep(10_000) }
    let stopped = !process.process.isRunning
    if !stopped { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    load.stop()
    #expect(stopped)
    #expect(process.terminationStatus == 0)
    let result = LogReader.read(paths: try LogPathExpander.expand([logs]), into: CountingSink.self)
    #expect(result.sink.records == load.completedCount)
  }

  @Test func portInUseExits1() throws {
    let fixture = try LogFixture()
    let catalogue = try fixture.write(Array(ServiceHarness.catalogue.utf8), to: "catalogue.json")
    let harness = try ServiceHarness()
    let process = try ServeProcess.start([
      "--config", catalogue, "--logs", fixture.directory.path + "/logs",
      "--listen", "127.0.0.1:\(harness.running.port)",
    ])
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(
      ServeProcess.standardError(of: process).contains("error: could not listen on 127.0.0.1:"))
  }

  @Test func invalidCatalogueExits1WithEveryProblem() throws {
    let fixture = try LogFixture()
    let catalogue = try fixture.write(Array("{ \"service\": {} }".utf8), to: "bad.json")
    let process = try ServeProcess.start([
      "--config", catalogue, "--logs", fixture.directory.path + "/logs", "--listen", "127.0.0.1:0",
    ])
    process.waitUntilExit()
    let errors = ServeProcess.standardError(of: process)
    #expect(process.terminationStatus == 1)
    #expect(errors.contains("\(catalogue): error: "))
    #expect(errors.contains("error: the catalogue \(catalogue) is invalid"))
  }

  @Test func unwritableLogRootExits1() throws {
    let fixture = try LogFixture()
    let catalogue = try fixture.write(Array(ServiceHarness.catalogue.utf8), to: "catalogue.json")
    let blocker = try fixture.write([1], to: "not-a-folder")
    let process = try ServeProcess.start([
      "--config", catalogue, "--logs", blocker + "/logs", "--listen", "127.0.0.1:0",
    ])
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(ServeProcess.standardError(of: process).contains("cannot create the log root"))
  }

  @Test(arguments: [
    ["--logs", "x", "--listen", "127.0.0.1:0"],
    ["--config", "c", "--logs", "x", "--listen", "localhost:80"],
    ["--config", "c", "--logs", "x", "--listen", ":1", "--ip-privacy", "some"],
  ])
  func usageErrorExits64(arguments: [String]) throws {
    let process = try ServeProcess.start(arguments)
    process.waitUntilExit()
    #expect(process.terminationStatus == 64)
    #expect(ServeProcess.standardError(of: process).contains("See 'clicktrail serve --help'."))
  }
}

/// Starts the built `clicktrail serve` and talks to it on loopback.
enum ServeProcess {
  /// The executable built with the tests.
  static let executable = BuiltExecutable.clicktrail

  /// A started service process and the pipe of its standard error.
  final class Run {
    let process: Process
    let errors: Pipe

    init(process: Process, errors: Pipe) {
      self.process = process
      self.errors = errors
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var terminationStatus: Int32 { process.terminationStatus }
    func waitUntilExit() { process.waitUntilExit() }
  }

  static func start(_ arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable!)
    process.arguments = ["serve"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_BACKTRACE"] = "enable=no"
    process.environment = environment
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return Run(process: process, errors: pipe)
  }

  /// Returns what the process wrote to standard error; call after it exited.
  static func standardError(of run: Run) -> String {
    String(decoding: run.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  }

  /// Returns the path of a command-line tool in /usr/bin, or nil.
  static func tool(_ name: String) -> String? {
    let path = "/usr/bin/" + name
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }

  /// Runs `tool` to completion and returns its exit status and standard output.
  static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }

  /// Connects, retrying for up to 10 s while the service starts.
  static func connect(port: UInt16) throws -> LoopbackHTTPClient {
    let deadline = Date().addingTimeInterval(10)
    while true {
      do {
        return try LoopbackHTTPClient(port: port)
      } catch {
        if Date() > deadline { throw error }
        usleep(20_000)
      }
    }
  }

  /// Returns a port that was free a moment ago on 127.0.0.1.
  static func freePort() throws -> UInt16 {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
        bind(socket, pointer, length) == 0 && getsockname(socket, pointer, &length) == 0
      }
    }
    guard bound else { throw LoopbackHTTPClient.ClientError(description: "bind failed") }
    return UInt16(bigEndian: address.sin_port)
  }
}

@Suite(.enabled(if: ServeProcess.executable != nil, "clicktrail executable not built"))
struct ServeStartErrorTests {
  @Test func badTLSKeyIsNamed() throws {
    let fixture = try LogFixture()
    let catalogue = try fixture.write(Array(ServiceHarness.catalogue.utf8), to: "catalogue.json")
    let junk = try fixture.write(Array("not a key\n".utf8), to: "junk.pem")
    let process = try ServeProcess.start([
      "--config", catalogue, "--logs", fixture.directory.path + "/logs",
      "--listen", "127.0.0.1:0", "--tls-key", junk, "--tls-cert", junk,
    ])
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(ServeProcess.standardError(of: process).contains("rejected the TLS key or certificate"))
  }
}

import ClicktrailLog
import ClicktrailSupport
import Foundation
import Testing

@testable import ClicktrailService

@Suite struct ServiceLifecycleTests {
  @Test func healthAndMetricsAnswer() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    #expect(try client.request("GET", "/healthz").body == "ok\n")
    _ = try client.request("GET", "/c/spring")
    _ = try client.request("GET", "/c/nope")
    harness.running.service.log.flush()
    let metrics = try client.request("GET", "/metrics")
    #expect(metrics.status == 200)
    #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
    #expect(
      metrics.body.contains("clicktrail_requests_total{endpoint=\"campaign\",status=\"302\"} 1\n"))
    #expect(
      metrics.body.contains("clicktrail_requests_total{endpoint=\"campaign\",status=\"404\"} 1\n"))
    #expect(
      metrics.body.contains("clicktrail_requests_total{endpoint=\"health\",status=\"200\"} 1\n"))
    #expect(metrics.body.contains("clicktrail_events_total{type=\"visit\"} 1\n"))
    #expect(metrics.body.contains("clicktrail_log_events_written_total 1\n"))
    #expect(metrics.body.contains("clicktrail_log_events_dropped_total 0\n"))
  }

  /// Several connections send requests while the service stops: every request that got a
  /// redirect must be in the logs, and nothing else.
  @Test func gracefulStopLogsEveryAnsweredRequest() throws {
    let harness = try ServiceHarness()
    let load = LoopbackLoad(port: harness.running.port, workers: 4, requests: 2000) {
      "/c/spring?w=\($0)&i=\($1)"
    }
    // Stop while the workers are still sending; their requests fail from then on.
    try load.waitForResponses(atLeast: 500)
    let (clicks, _) = try harness.stopAndReadEvents()
    load.stop()
    let total = load.completedCount
    #expect(total >= 500)
    #expect(clicks.count == total)
    #expect(Set(clicks.map(\.clickID)).count == total)
  }

  @Test func reloadUsesValidCatalogueOnly() throws {
    let harness = try ServiceHarness()
    let client = try harness.client()
    #expect(try client.request("GET", "/c/autumn").status == 404)
    let withAutumn = ServiceHarness.catalogue.replacingOccurrences(
      of: "{ \"key\": \"direct\",", with: "{ \"key\": \"autumn\",")
    try harness.fixture.write(Array(withAutumn.utf8), to: "catalogue.json")
    #expect(harness.running.reloadCatalogue())
    #expect(try client.request("GET", "/c/autumn").status == 302)

    try harness.fixture.write(Array("{ \"campaigns\": 3 }".utf8), to: "catalogue.json")
    #expect(!harness.running.reloadCatalogue())
    #expect(try client.request("GET", "/c/autumn").status == 302)
    #expect(
      harness.logOutput.lines.contains {
        $0.contains("kept the previous catalogue because the new one is invalid")
      })
  }

  @Test func invalidCatalogueStopsStart() throws {
    #expect(throws: RunningService.StartError.self) {
      _ = try ServiceHarness(catalogue: "{ \"service\": {} }")
    }
  }
}

import Foundation
import Logging
import Metrics
import Testing
@testable import Telemetry

@Suite struct TelemetryTests {
    @Test func metricsRecordedThroughSwiftMetricsAreExposedForPrometheus() {
        Telemetry.bootstrapMetrics()
        Counter(label: "lookout_test_events_total", dimensions: [("outcome", "accepted")]).increment(by: 3)
        Timer(label: "lookout_test_latency_seconds").recordMilliseconds(7)
        let text = Telemetry.exposition()
        #expect(text.contains(#"lookout_test_events_total{outcome="accepted"} 3"#))
        #expect(text.contains("# TYPE lookout_test_latency_seconds histogram"))
        #expect(text.contains(#"lookout_test_latency_seconds_bucket{le="0.01"} 1"#))
    }

    @Test func jsonLogLinesCarryMetadataAtTheTopLevel() throws {
        let event = LogEvent(level: .warning, message: "event spooled", metadata: ["zoom_request_id": "req-1", "count": .stringConvertible(3)],
                             source: "Receiver", file: "f", function: "g", line: 1)
        let line = JSONLogHandler.line(event, label: "lookout.receiver", context: ["process": "receive"],
                                       now: Date(timeIntervalSince1970: 0))
        #expect(line.last == UInt8(ascii: "\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: String])
        #expect(object == ["ts": "1970-01-01T00:00:00.000Z", "level": "warning", "logger": "lookout.receiver",
                           "message": "event spooled", "source": "Receiver", "zoom_request_id": "req-1", "count": "3",
                           "process": "receive"])
    }
}

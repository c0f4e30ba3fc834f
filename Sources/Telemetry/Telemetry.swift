import Foundation
import Logging
import Metrics
import Prometheus

/// One metrics and logging set-up for every Lookout process.
public enum Telemetry {
    /// Where every metric of this process is collected, in the Prometheus text format.
    public static let registry = PrometheusCollectorRegistry()

    private static let metricsBootstrapped: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
            .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Installs the Prometheus backend for swift-metrics; harmless to call twice.
    public static func bootstrapMetrics() { _ = metricsBootstrapped }

    /// The process's metrics as Prometheus text.
    public static func exposition() -> String { registry.emitToString() }

    public enum LogFormat: String, Sendable { case text, json }

    private static let loggingBootstrapped: Void = {
        let environment = ProcessInfo.processInfo.environment
        let format = environment["LOOKOUT_LOG_FORMAT"].flatMap(LogFormat.init(rawValue:)) ?? .text
        LoggingSystem.bootstrap { label in
            switch format {
            case .text: StreamLogHandler.standardError(label: label)
            case .json: JSONLogHandler(label: label)
            }
        }
    }()

    /// A logger for one part of the process: level from LOOKOUT_LOG_LEVEL (default info), lines
    /// as text or JSON (LOOKOUT_LOG_FORMAT) on standard error.
    public static func logger(_ label: String) -> Logger {
        _ = loggingBootstrapped
        var logger = Logger(label: "lookout.\(label)")
        logger.logLevel = ProcessInfo.processInfo.environment["LOOKOUT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }
}

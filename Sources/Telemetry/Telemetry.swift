import Foundation
import Logging
import Metrics
import Prometheus
import Synchronization

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

    public enum LogFormat: String, Sendable, CaseIterable { case text, json }

    private struct LogSettings { var format = LogFormat.text, level = Logger.Level.info }
    private static let logSettings = Mutex(LogSettings())

    /// Sets the format and level of every logger; call before the first `logger(_:)`, as the
    /// format is fixed once logging is bootstrapped. Defaults: text, info.
    public static func configureLogging(format: LogFormat, level: Logger.Level) {
        logSettings.withLock { $0 = LogSettings(format: format, level: level) }
    }

    private static let loggingBootstrapped: Void = {
        let format = logSettings.withLock { $0.format }
        LoggingSystem.bootstrap { label in
            switch format {
            case .text: StreamLogHandler.standardError(label: label)
            case .json: JSONLogHandler(label: label)
            }
        }
    }()

    /// A logger for one part of the process, at the configured level, lines as text or JSON on
    /// standard error.
    public static func logger(_ label: String) -> Logger {
        _ = loggingBootstrapped
        var logger = Logger(label: "lookout.\(label)")
        logger.logLevel = logSettings.withLock { $0.level }
        return logger
    }
}

import ArgumentParser
import Broker
import MongoStorage
import Foundation
import Logging
import LookoutCore
import ServiceLifecycle
import Telemetry

/// Settings every command shares: the environment, completed by LOOKOUT_CONFIG_FILE.
struct Environment {
    /// Read once per process; `reportingFailures` reports a bad file before a command starts.
    static let loaded = Result { () throws(ConfigurationError) in try Configuration.load() }

    let configuration: Configuration

    init(configuration: Configuration = (try? Environment.loaded.get()) ?? Configuration()) {
        self.configuration = configuration
    }

    /// One URL, or the nodes of a cluster as comma-separated URLs (tried in turn on every connect).
    func brokerEndpoints() throws -> AMQPEndpoints {
        let text = configuration.string("LOOKOUT_AMQP_URL", default: "amqp://guest:guest@127.0.0.1:5672/")
        do { return try AMQPEndpoints(text) } catch { throw Failure.configuration("LOOKOUT_AMQP_URL: \(error)") }
    }

    func topology() throws -> Broker.Topology {
        let namespace = configuration.string("LOOKOUT_AMQP_NAMESPACE", default: "lookout")
        let limit = try configured { () throws(ConfigurationError) in
            try configuration.int("LOOKOUT_DELIVERY_LIMIT", default: 20, range: 1...1000)
        }
        return Broker.Topology(layout: QueueLayout(namespace: namespace), deliveryLimit: limit)
    }

    func database() throws -> MongoDatabase {
        let uri = configuration.string("LOOKOUT_MONGO_URI",
                                       default: "mongodb://127.0.0.1:27017/lookout?journal=true&serverSelectionTimeoutMS=5000")
        do { return try MongoDatabase(uri: uri) } catch { throw Failure.configuration("\(error)") }
    }

    func configured<T>(_ read: () throws(ConfigurationError) -> T) throws -> T {
        try Self.configured(read)
    }

    static func configured<T>(_ read: () throws(ConfigurationError) -> T) throws -> T {
        do { return try read() } catch { throw Failure.configuration(error.description) }
    }

    static func logger(_ label: String) -> Logger { Telemetry.logger(label) }

    /// LOOKOUT_LOG_FORMAT and LOOKOUT_LOG_LEVEL, checked (a typo is an error, not silence).
    func logging() throws(ConfigurationError) -> (format: Telemetry.LogFormat, level: Logger.Level) {
        let formatText = configuration.string("LOOKOUT_LOG_FORMAT", default: "text")
        guard let format = Telemetry.LogFormat(rawValue: formatText.lowercased()) else {
            throw ConfigurationError(key: "LOOKOUT_LOG_FORMAT", problem: "expected text or json, got \"\(formatText)\"")
        }
        let levelText = configuration.string("LOOKOUT_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelText.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(key: "LOOKOUT_LOG_LEVEL", problem: "expected one of \(names), got \"\(levelText)\"")
        }
        return (format, level)
    }

    /// The `/metrics` server of a long-running process when LOOKOUT_METRICS_PORT is set.
    func metricsServices(logger: Logger) throws -> [any Service] {
        Telemetry.bootstrapMetrics()
        let (host, port) = try metricsAddress()
        guard port != 0 else { return [] }
        logger.info("metrics served", metadata: ["url": "http://\(host):\(port)/metrics"])
        return [makeMetricsApplication(host: host, port: port, logger: logger)]
    }
}

extension Environment {
    /// `LOOKOUT_<KIND>_PREFETCH` (deliveries in hand) and `LOOKOUT_<KIND>_BATCH` (events per
    /// write) of a worker kind, STORE or PROJECT.
    func workerLimits(_ kind: String) throws -> (consumer: QueueConsumer.Options, batchSize: Int) {
        try configured { () throws(ConfigurationError) in
            var consumer = QueueConsumer.Options()
            consumer.prefetch = UInt16(try configuration.int("LOOKOUT_\(kind)_PREFETCH", default: 500, range: 1...10_000))
            return (consumer, try configuration.int("LOOKOUT_\(kind)_BATCH", default: 500, range: 1...10_000))
        }
    }

    /// LOOKOUT_METRICS_HOST and LOOKOUT_METRICS_PORT (0: no metrics server).
    func metricsAddress() throws -> (host: String, port: Int) {
        let port = try configured { () throws(ConfigurationError) in
            try configuration.int("LOOKOUT_METRICS_PORT", default: 0, range: 0...65535)
        }
        return (configuration.string("LOOKOUT_METRICS_HOST", default: "0.0.0.0"), port)
    }
}

/// A failure a command reports as one line on stderr with a distinct exit code.
enum Failure: Error, CustomStringConvertible {
    case configuration(String)
    case unavailable(String)
    case input(String)

    var description: String {
        switch self {
        case .configuration(let why): "configuration error: \(why)"
        case .unavailable(let why): "unavailable: \(why)"
        case .input(let why): "bad input: \(why)"
        }
    }

    /// sysexits(3): EX_CONFIG, EX_UNAVAILABLE, EX_DATAERR.
    var exitCode: ExitCode {
        switch self {
        case .configuration: ExitCode(78)
        case .unavailable: ExitCode(69)
        case .input: ExitCode(65)
        }
    }
}

/// Runs a command body once the configuration file and logging are set up, turning a `Failure`
/// into its message and exit code.
func reportingFailures(warningOfUnknownKeys: Bool = true, _ body: () async throws -> Void) async throws {
    do {
        let configuration = try Environment.configured { () throws(ConfigurationError) in try Environment.loaded.get() }
        let logging = try Environment.configured { () throws(ConfigurationError) in
            try Environment(configuration: configuration).logging()
        }
        Telemetry.configureLogging(format: logging.format, level: logging.level)
        // Only near misses of a known key: other LOOKOUT_* variables may be read through the rules
        // (a hook's `url_env`) or belong to the deployment; `lookout config check` names them all.
        for case let (key, suggestion?) in configuration.lookoutKeys.keys.sorted().compactMap(ConfigurationKeys.unknown)
        where warningOfUnknownKeys {
            Environment.logger("config").warning("unknown configuration key, ignored", metadata: [
                "key": "\(key)", "did_you_mean": "\(suggestion)"])
        }
        if let warning = PseudonymKey.warning(configuration) { Environment.logger("config").warning("\(warning)") }
        if let warning = TimeZoneSetting.warning(configuration) { Environment.logger("config").warning("\(warning)") }
        try await body()
    } catch let failure as Failure {
        FileHandle.standardError.write(Data("lookout: \(failure)\n".utf8))
        throw failure.exitCode
    }
}

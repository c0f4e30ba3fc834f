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
        let key = ConfigurationKeys.Shared.amqpURL
        let text = try configured { () throws(ConfigurationError) in try configuration.value(key) }
        do { return try AMQPEndpoints(text) } catch { throw Failure.configuration("\(key.name): \(error)") }
    }

    func topology() throws -> Broker.Topology {
        let (namespace, limit) = try configured { () throws(ConfigurationError) in
            (try configuration.value(ConfigurationKeys.Shared.amqpNamespace), try configuration.value(ConfigurationKeys.Shared.deliveryLimit))
        }
        return Broker.Topology(layout: QueueLayout(namespace: namespace), deliveryLimit: limit)
    }

    func database() throws -> MongoDatabase {
        let uri = try configured { () throws(ConfigurationError) in try configuration.value(ConfigurationKeys.Shared.mongoURI) }
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
        guard let format = Telemetry.LogFormat(rawValue: try configuration.value(ConfigurationKeys.Shared.logFormat)) else {
            preconditionFailure("declared words")
        }
        return (format, try configuration.value(ConfigurationKeys.Shared.logLevel))
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
    /// write) of a worker kind: `ConfigurationKeys.Store.limits` or `.Project.limits`.
    func workerLimits(_ keys: ConfigurationKeys.WorkerLimits) throws -> (consumer: QueueConsumer.Options, batchSize: Int) {
        try configured { () throws(ConfigurationError) in
            var consumer = QueueConsumer.Options()
            consumer.prefetch = UInt16(try configuration.value(keys.prefetch))
            return (consumer, try configuration.value(keys.batch))
        }
    }

    /// LOOKOUT_METRICS_HOST and LOOKOUT_METRICS_PORT (0: no metrics server).
    func metricsAddress() throws -> (host: String, port: Int) {
        try configured { () throws(ConfigurationError) in
            (try configuration.value(ConfigurationKeys.Shared.metricsHost), try configuration.value(ConfigurationKeys.Shared.metricsPort))
        }
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

/// The keys a command reads, for its `--help`, from their declarations (`ConfigurationKeys`).
func keysHelp(_ keys: [SettingInfo]) -> String {
    ConfigurationKeys.Section.help(keys) + " Values and defaults: docs/configuration.md; `lookout config check` shows the effective ones."
}

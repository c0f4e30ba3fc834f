import ArgumentParser
import Broker
import EventStore
import Foundation
import Logging
import LookoutCore
import ServiceLifecycle
import Telemetry

/// Settings every command shares, read once from the environment.
struct Environment {
    let configuration = Configuration()

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
        do { return try read() } catch { throw Failure.configuration(error.description) }
    }

    static func logger(_ label: String) -> Logger { Telemetry.logger(label) }

    /// The `/metrics` server of a long-running process when LOOKOUT_METRICS_PORT is set.
    func metricsServices(logger: Logger) throws -> [any Service] {
        Telemetry.bootstrapMetrics()
        let port = try configured { () throws(ConfigurationError) in
            try configuration.int("LOOKOUT_METRICS_PORT", default: 0, range: 0...65535)
        }
        guard port != 0 else { return [] }
        let host = configuration.string("LOOKOUT_METRICS_HOST", default: "0.0.0.0")
        logger.info("metrics served", metadata: ["url": "http://\(host):\(port)/metrics"])
        return [makeMetricsApplication(host: host, port: port, logger: logger)]
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

/// Runs a command body, turning a `Failure` into its message and exit code.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let failure as Failure {
        FileHandle.standardError.write(Data("lookout: \(failure)\n".utf8))
        throw failure.exitCode
    }
}

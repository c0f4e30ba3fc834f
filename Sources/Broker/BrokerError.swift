/// A failure talking to RabbitMQ. Any of these ends the connection; the owner reconnects.
public enum BrokerError: Error, CustomStringConvertible, Sendable {
    case invalidURL(String)
    case unknownQueue(String)
    case connectFailed(String)
    /// The library reported an error (socket closed, timeout, ...).
    case library(operation: String, message: String)
    /// The broker closed the channel or connection (wrong queue arguments, permissions, ...).
    case server(operation: String, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let why): "invalid broker URL: \(why)"
        case .unknownQueue(let why): why
        case .connectFailed(let why): "cannot connect to broker: \(why)"
        case .library(let operation, let message): "\(operation): \(message)"
        case .server(let operation, let message): "\(operation): broker said \(message)"
        }
    }
}

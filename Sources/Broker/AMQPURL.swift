import Foundation

/// `amqp://user:password@host:port/vhost`, as RabbitMQ documents it (vhost percent-encoded, `/` by default).
public struct AMQPURL: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let user: String
    public let password: String
    public let virtualHost: String

    public init(_ text: String) throws(BrokerError) {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "amqp",
              let host = components.host, !host.isEmpty else {
            throw .invalidURL("expected amqp://user:password@host:port/vhost")
        }
        self.host = host
        port = components.port ?? 5672
        user = components.user ?? "guest"
        password = components.password ?? "guest"
        let path = components.percentEncodedPath
        virtualHost = path.isEmpty || path == "/" ? "/" : String(path.dropFirst()).removingPercentEncoding ?? "/"
    }

    /// Safe to log: the password is masked.
    public var description: String { "amqp://\(user):***@\(host):\(port)/\(virtualHost == "/" ? "" : virtualHost)" }
}

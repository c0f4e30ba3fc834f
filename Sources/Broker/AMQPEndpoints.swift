import Foundation

/// The RabbitMQ nodes of one cluster a client may connect to, in order of preference.
///
/// `LOOKOUT_AMQP_URL` may list several URLs separated by commas:
/// `amqp://u:p@rabbit-1:5672/,amqp://u:p@rabbit-2:5672/`. An entry starts at a comma that is
/// followed (after optional spaces) by `amqp://`, so a comma inside a password still belongs to
/// that password. A single URL is one endpoint, exactly as before.
public struct AMQPEndpoints: Sendable, Equatable, CustomStringConvertible {
    /// Never empty.
    public let urls: [AMQPURL]

    public init(_ url: AMQPURL) {
        urls = [url]
    }

    public init(_ text: String) throws(BrokerError) {
        let entries = Self.split(text)
        var urls: [AMQPURL] = []
        for (index, entry) in entries.enumerated() {
            do {
                urls.append(try AMQPURL(entry))
            } catch {
                // Name the entry by position only: the text may hold a password.
                throw entries.count == 1 ? error : .invalidURL("entry \(index + 1) of \(entries.count): \(error)")
            }
        }
        self.urls = urls
    }

    /// Passwords masked.
    public var description: String { urls.map(\.description).joined(separator: ",") }

    static func split(_ text: String) -> [String] {
        var entries: [String] = []
        var rest = Substring(text)
        while let comma = nextSeparator(in: rest) {
            entries.append(String(rest[..<comma]))
            rest = rest[rest.index(after: comma)...]
        }
        entries.append(String(rest))
        return entries.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The first comma in `text` that starts a new `amqp://` entry.
    private static func nextSeparator(in text: Substring) -> Substring.Index? {
        var search = text[...]
        while let comma = search.firstIndex(of: ",") {
            let after = text[text.index(after: comma)...].drop { $0 == " " }
            if after.lowercased().hasPrefix("amqp://") { return comma }
            search = text[text.index(after: comma)...]
        }
        return nil
    }
}

/// Which endpoint a client tries next. Every connection attempt goes through the endpoints in
/// turn until one works. After a connection is made, the next attempt starts with the endpoint
/// after it: a client that lost its node tries the others first and that node last.
struct EndpointRotation {
    let endpoints: AMQPEndpoints
    private(set) var next = 0

    init(_ endpoints: AMQPEndpoints) {
        self.endpoints = endpoints
    }

    /// Calls `open` with each endpoint, starting at `next`, until one succeeds; returns its result
    /// and the endpoint used. If all fail: the error itself for a single endpoint, else one error
    /// naming each endpoint's failure.
    mutating func connect<Connection>(
        _ open: (AMQPURL) throws(BrokerError) -> Connection
    ) throws(BrokerError) -> (connection: Connection, url: AMQPURL) {
        let urls = endpoints.urls
        var failures: [(AMQPURL, BrokerError)] = []
        for offset in urls.indices {
            let index = (next + offset) % urls.count
            do {
                let connection = try open(urls[index])
                next = (index + 1) % urls.count
                return (connection, urls[index])
            } catch {
                failures.append((urls[index], error))
            }
        }
        if failures.count == 1 { throw failures[0].1 }
        throw .connectFailed("no node of \(urls.count) answered: "
            + failures.map { "\($0.0.host):\($0.0.port): \($0.1)" }.joined(separator: "; "))
    }
}

import CurlHTTP
import Synchronization

/// Outbound HTTP (`HTTPTransport`) without a network: answers each request from a script and
/// keeps every request it was sent, in order.
public final class ScriptedTransport: HTTPTransport {
    public typealias Answer = @Sendable (OutboundRequest) throws(TransportError) -> OutboundResponse
    private let state: Mutex<(requests: [OutboundRequest], answer: Answer)>

    /// Answers with whatever `answer` returns or throws for the request.
    public init(_ answer: @escaping Answer) { state = Mutex(([], answer)) }

    /// Answers with `answers` in order, one a request; once they run out, throws "script exhausted".
    public convenience init(answers: [(status: Int, body: String, headers: [(name: String, value: String)])]) {
        let script = Script(answers)
        self.init { _ throws(TransportError) -> OutboundResponse in
            guard let next = script.next() else {
                throw TransportError(message: "script exhausted")
            }
            return OutboundResponse(status: next.status, headers: next.headers, body: Array(next.body.utf8))
        }
    }

    /// Answers with `script`'s statuses and bodies in order, no headers; then throws "script exhausted".
    public convenience init(_ script: [(Int, String)]) {
        self.init(answers: script.map { (status: $0.0, body: $0.1, headers: []) })
    }

    public func send(_ request: OutboundRequest) async throws(TransportError) -> OutboundResponse {
        let answer = state.withLock { state in
            state.requests.append(request)
            return state.answer
        }
        return try answer(request)
    }

    public var requests: [OutboundRequest] { state.withLock { $0.requests } }
}

/// The answers left, shared by the transport's answer closure.
private final class Script: Sendable {
    private let remaining: Mutex<[(status: Int, body: String, headers: [(name: String, value: String)])]>
    init(_ answers: [(status: Int, body: String, headers: [(name: String, value: String)])]) { remaining = Mutex(answers) }
    func next() -> (status: Int, body: String, headers: [(name: String, value: String)])? {
        remaining.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}

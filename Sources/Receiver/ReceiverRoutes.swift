import NIOHTTP1

/// Which of the receiver's routes a request line asks for. Pure.
struct ReceiverRoutes: Sendable {
    enum Route: Equatable {
        case webhook, health, ready, methodNotAllowed, notFound
    }

    let webhookPath: String

    /// The path without its query; a trailing slash matches too, as in Hummingbird's router.
    func route(method: HTTPMethod, uri: String) -> Route {
        var path = uri[...]
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        if path.count > 1, path.last == "/" { path = path.dropLast() }
        switch path {
        case webhookPath[...]: return method == .POST ? .webhook : .methodNotAllowed
        case "/health": return method == .GET || method == .HEAD ? .health : .methodNotAllowed
        case "/ready": return method == .GET || method == .HEAD ? .ready : .methodNotAllowed
        default: return .notFound
        }
    }
}

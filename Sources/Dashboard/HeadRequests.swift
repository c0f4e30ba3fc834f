import HTTPTypes
import Hummingbird

extension Router {
    /// Registers `handler` for GET, and for HEAD without the body (uptime monitors and link
    /// checkers use HEAD).
    func getAndHead(_ path: RouterPath, use handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        get(path, use: handler)
        on(path, method: .head) { request, context in
            var response = try await handler(request, context)
            response.body = ResponseBody()
            return response
        }
    }
}

import HTTPTypes
import Hummingbird

extension RouterMethods {
    /// Registers `handler` for GET, and for HEAD without the body (uptime monitors and link
    /// checkers use HEAD), a refusal included.
    func getAndHead<Output: ResponseGenerator>(_ path: RouterPath,
                                               use handler: @escaping @Sendable (Request, Context) async throws -> Output) {
        get(path, use: handler)
        on(path, method: .head) { request, context in
            var response: Response
            do {
                response = try await handler(request, context).response(from: request, context: context)
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
            response.body = ResponseBody()
            return response
        }
    }
}

import HTTPTypes
import Hummingbird

/// CORS for the public API and the exports (a Jekyll page's script on another site reads them),
/// by Hummingbird's `CORSMiddleware`, errors included, so a page can read why its request failed.
/// `LOOKOUT_WEB_CORS_ORIGINS` is a list read at start, and `CORSMiddleware.AllowOriginExtended.oneOf`
/// takes only variadic literals; so the list is checked here and an origin on it is echoed
/// (`originBased`, with `Vary: Origin`). Any other origin gets no CORS header, only `Vary: Origin`
/// (the answer differs by origin, so a cache must not hand one origin's to another).
struct PublicCORS<Context: RequestContext>: RouterMiddleware {
    private let origins: Set<String>
    private let everyone = CORSMiddleware<Context>(allowOrigin: .all, allowMethods: [.get, .head, .options])
    private let listed = CORSMiddleware<Context>(allowOrigin: .originBased, allowMethods: [.get, .head, .options])

    init(origins: [String]) { self.origins = Set(origins) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if origins.contains("*") { return try await everyone.handle(request, context: context, next: next) }
        if let origin = request.headers[.origin], origins.contains(origin) {
            return try await listed.handle(request, context: context, next: next)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[values: .vary].append("Origin")
        return response
    }
}

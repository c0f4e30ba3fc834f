import HTTPTypes
import Hummingbird

/// A request the dashboard refuses, thrown by the handlers and answered by Hummingbird as JSON
/// `{"reason": "...", "status": "not_found"}` with the status (Hummingbird's own `HTTPError` body,
/// `{"error": {"message": ...}}`, is not the shape the API documents).
public struct DashboardError: HTTPResponseError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let reason: String

    public static func badRequest(_ reason: String) -> Self { Self(status: .badRequest, reason: reason) }
    public static func unauthorized(_ reason: String) -> Self { Self(status: .unauthorized, reason: reason) }
    public static func notFound(_ reason: String) -> Self { Self(status: .notFound, reason: reason) }
    public static func unavailable(_ reason: String) -> Self { Self(status: .serviceUnavailable, reason: reason) }

    private struct Problem: Encodable {
        let status: String
        let reason: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try DashboardJSON().encode(Problem(status: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
                                                          reason: reason), from: request, context: context)
        response.status = status
        if status == .unauthorized { response.headers[.wwwAuthenticate] = #"Basic realm="Lookout full view", charset="UTF-8""# }
        return response
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A page: never cached (it is live), and only Lookout's own script and stylesheet may run.
    static func html(_ html: HTML) -> Response { rendered(ByteBuffer(string: html.description), type: "text/html; charset=utf-8") }

    /// A rendered page, API answer or CSV. Pages: never cached (they are live), only Lookout's own
    /// script and stylesheet may run, forms (period, search) only to Lookout itself.
    /// - Parameter body: shared with the rendered-pages cache, not copied (a `ByteBuffer` is copy-on-write).
    static func rendered(_ body: ByteBuffer, type: String, cors: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if type.hasPrefix("text/html") {
            headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            headers[.xContentTypeOptions] = "nosniff"
            headers[.referrerPolicy] = "no-referrer"
        }
        if type.hasPrefix("text/csv") { headers[.contentDisposition] = "attachment" }
        headers.append(contentsOf: cors)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// JSON with snake_case keys and ISO 8601 dates, like `lookout.json`.
    static func json(_ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let data = jsonData(value)
        var fields: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        fields.append(contentsOf: headers)
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func jsonData(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    /// `{"status": "not_found", "reason": "..."}` with the error's status.
    static func problem(_ error: DashboardError) -> Response {
        var response = json(["status": error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
                             "reason": error.reason])
        response.status = error.status
        if error.status == .unauthorized { response.headers[.wwwAuthenticate] = #"Basic realm="Lookout full view", charset="UTF-8""# }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    /// Tells nginx not to buffer the event stream.
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}

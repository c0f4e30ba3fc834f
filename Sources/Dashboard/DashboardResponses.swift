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
    static func rendered(_ body: ByteBuffer, type: String) -> Response {
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-store"]
        if type.hasPrefix("text/html") {
            headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            headers[.xContentTypeOptions] = "nosniff"
            headers[.referrerPolicy] = "no-referrer"
        }
        if type.hasPrefix("text/csv") { headers[.contentDisposition] = "attachment" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    /// Tells nginx not to buffer the event stream.
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}

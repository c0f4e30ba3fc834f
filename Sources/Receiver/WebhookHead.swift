/// The request head fields the webhook's checks read, taken from whichever HTTP front-end parsed
/// the request (the NIO channel handler of `lookout receive`, or a Hummingbird route).
struct WebhookHead: Sendable {
    var contentType: String?
    /// Every `x-zm-signature` value, joined by ", " as `HTTPFields` joins them: two headers are
    /// then one malformed signature, not the first of two.
    var signature: String?
    var timestamp: String?
    /// The declared `content-length`, if any: a body declared over the cap is refused unread.
    var contentLength: Int?
    /// Zoom's `x-zm-request-id`, cut to 128 characters (it is only logged and carried along).
    var requestID: String?

    init(contentType: String?, signature: String?, timestamp: String?, contentLength: String?, requestID: String?) {
        self.contentType = contentType
        self.signature = signature
        self.timestamp = timestamp
        self.contentLength = contentLength.flatMap(Int.init)
        self.requestID = requestID.map { String($0.prefix(128)) }
    }

    /// `application/json`, with any parameters and in any case.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) }
        return mediaType?.lowercased() == "application/json"
    }
}

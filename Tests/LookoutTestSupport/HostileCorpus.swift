import Foundation
import ZoomWebhooks

/// The hostile-input corpus (docs/hostile-input.md), defined once: `HostileInputTests` sends it to
/// the receiver in process and checks status, reason code and what is published; `ops/corpus`
/// sends it, printed by `lookout-bench corpus`, to a real `lookout receive` process for many rounds
/// and checks memory and descriptors. Every request is signed at `now` (a long run re-signs).
public enum HostileCorpus {
    public static let valid = #"{"event":"meeting.participant_joined","event_ts":1795334462000,"payload":{"account_id":"A","object":{"id":"85012345678","topic":"Biology 101","participant":{"user_name":"Ada","join_time":"2026-11-22T08:01:02Z"}}}}"#

    /// How a case's body goes over the wire.
    public enum Sending: String, Sendable, Codable {
        /// With its declared length, all at once (in `chunks` pieces `pause` apart when trickled).
        case whole
        /// The head alone, declaring the body's length (the receiver answers before any body).
        /// The in-process test sends the body too: the answer is the same.
        case headOnly = "head-only"
        /// Chunked transfer encoding, no declared length: the receiver must cut it off while
        /// reading. Real receiver only (ops/corpus): the in-process test declares every length.
        case chunked
    }

    public struct Case: Sendable {
        public let name: String
        public let body: [UInt8]
        public var headers: [(String, String)]
        public let expected: Int
        /// The answer's `code`, when there is one.
        public let code: String?
        public var published = false
        /// The answer's `status`, when it matters (accepted or duplicate).
        public var status: String? = nil
        public var chunks: Int = 1
        public var pause: Duration = .zero
        public var sending: Sending = .whole
    }

    public static func signed(_ body: [UInt8], timestamp: Int = Int(Date().timeIntervalSince1970), secret: String,
                              contentType: String? = "application/json") -> [(String, String)] {
        var headers = [("x-zm-request-timestamp", String(timestamp)),
                       ("x-zm-signature", WebhookSigner(secretToken: secret).signature(timestamp: String(timestamp), body: body))]
        if let contentType { headers.append(("content-type", contentType)) }
        return headers
    }

    public static func cases(secret: String, now: Int = Int(Date().timeIntervalSince1970)) -> [Case] {
        let body = Array(valid.utf8)
        func signed(_ body: [UInt8], timestamp: Int = now, secret: String = secret, contentType: String? = "application/json") -> [(String, String)] {
            Self.signed(body, timestamp: timestamp, secret: secret, contentType: contentType)
        }
        func signedCase(_ name: String, _ text: String, _ expected: Int, _ code: String?, published: Bool = false) -> Case {
            Case(name: name, body: Array(text.utf8), headers: signed(Array(text.utf8)), expected: expected, code: code, published: published)
        }
        func headerCase(_ name: String, _ headers: [(String, String)], _ expected: Int, _ code: String) -> Case {
            Case(name: name, body: body, headers: headers, expected: expected, code: code)
        }
        var tampered = body
        tampered[20] ^= 0x20
        let goodSignature = signed(body)
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let badUTF8 = Array(#"{"event":"meeting.started","payload":{"object":{"topic":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}}}"#.utf8)
        let validation = Array(#"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}"#.utf8)
        let spaces = { (count: Int) in [UInt8](repeating: UInt8(ascii: " "), count: count) }
        return [
            headerCase("no signature header", [("x-zm-request-timestamp", String(now)), ("content-type", "application/json")], 401, "missing_signature"),
            headerCase("empty signature", [("x-zm-request-timestamp", String(now)), ("x-zm-signature", ""), ("content-type", "application/json")], 401, "missing_signature"),
            headerCase("signature without v0=", [("x-zm-request-timestamp", String(now)), ("x-zm-signature", String(goodSignature[1].1.dropFirst(3))), ("content-type", "application/json")], 401, "malformed_signature"),
            headerCase("signature too short", [("x-zm-request-timestamp", String(now)), ("x-zm-signature", "v0=abcd"), ("content-type", "application/json")], 401, "malformed_signature"),
            headerCase("signature not hex", [("x-zm-request-timestamp", String(now)), ("x-zm-signature", "v0=" + String(repeating: "z", count: 64)), ("content-type", "application/json")], 401, "malformed_signature"),
            headerCase("two signature headers", goodSignature + [("x-zm-signature", goodSignature[1].1)], 401, "malformed_signature"),
            headerCase("signed with another secret", signed(body, secret: "attacker"), 401, "bad_signature"),
            Case(name: "body tampered after signing", body: tampered, headers: signed(body), expected: 401, code: "bad_signature"),
            headerCase("replayed: signature 3 hours old", signed(body, timestamp: now - 3 * 3600), 401, "stale_timestamp"),
            // A Zoom retry keeping its first timestamp is accepted up to the retry horizon (2 h);
            // the same body late again (a second retry, or a replay) is not published twice.
            Case(name: "signed 30 minutes ago (a retry keeping its timestamp)", body: body, headers: signed(body, timestamp: now - 1800),
                 expected: 200, code: nil, published: true, status: "accepted"),
            Case(name: "late replay of a body already accepted", body: body, headers: signed(body, timestamp: now - 1200),
                 expected: 200, code: nil, published: false, status: "duplicate"),
            headerCase("timestamp 10 minutes ahead", signed(body, timestamp: now + 600), 401, "future_timestamp"),
            headerCase("no timestamp header", [("x-zm-signature", goodSignature[1].1), ("content-type", "application/json")], 401, "missing_timestamp"),
            headerCase("timestamp not a number", [("x-zm-request-timestamp", "now"), ("x-zm-signature", goodSignature[1].1), ("content-type", "application/json")], 401, "malformed_timestamp"),
            headerCase("timestamp in milliseconds", signed(body, timestamp: now * 1000), 401, "malformed_timestamp"),
            headerCase("negative timestamp", signed(body, timestamp: -1), 401, "stale_timestamp"),
            headerCase("text/plain content type", signed(body, contentType: "text/plain"), 415, "unsupported_content_type"),
            headerCase("no content type", signed(body, contentType: nil), 415, "unsupported_content_type"),
            headerCase("form content type", signed(body, contentType: "application/x-www-form-urlencoded"), 415, "unsupported_content_type"),
            Case(name: "body over 1 MiB", body: spaces((1 << 20) + 10) + body, headers: signed(body), expected: 413, code: "body_too_large",
                 sending: .headOnly),
            Case(name: "body of 2 MiB, chunked, no declared length", body: spaces(2 << 20) + body, headers: signed(body), expected: 413,
                 code: "body_too_large", sending: .chunked),
            signedCase("empty body", "", 400, "empty_body"),
            signedCase("truncated JSON", String(valid.dropLast(10)), 400, "invalid_json"),
            signedCase("JSON nested 5000 deep", #"{"event":"x","payload":\#(deep)}"#, 400, "invalid_json"),
            Case(name: "invalid UTF-8 in a string", body: badUTF8, headers: signed(badUTF8), expected: 400, code: "invalid_utf8"),
            Case(name: "NUL bytes", body: [0, 0, 0], headers: signed([0, 0, 0]), expected: 400, code: "invalid_json"),
            signedCase("JSON array", #"[{"event":"meeting.started"}]"#, 400, "invalid_json"),
            signedCase("JSON string", #""meeting.started""#, 400, "invalid_json"),
            signedCase("no event field", #"{"payload":{"object":{}}}"#, 400, "missing_event"),
            signedCase("event is a number", #"{"event":42}"#, 400, "missing_event"),
            signedCase("event is empty", #"{"event":""}"#, 400, "missing_event"),
            signedCase("event name of 300 characters", #"{"event":"\#(String(repeating: "e", count: 300))"}"#, 400, "missing_event"),
            signedCase("URL validation without plainToken", #"{"event":"endpoint.url_validation","payload":{}}"#, 400, "missing_plain_token"),
            Case(name: "URL validation signed with another secret", body: validation, headers: signed(validation, secret: "attacker"),
                 expected: 401, code: "bad_signature"),
            Case(name: "body trickled slower than the body timeout", body: body, headers: goodSignature, expected: 408,
                 code: "body_timeout", chunks: 4, pause: .milliseconds(400)),
            // Valid deliveries with odd content: accepted, published byte for byte, handled downstream.
            signedCase("unknown event", #"{"event":"meeting.something_new","payload":{}}"#, 200, nil, published: true),
            signedCase("payload fields of the wrong type", #"{"event":"meeting.participant_joined","payload":{"object":{"id":[1],"participant":"Ada"}}}"#, 200, nil, published: true),
            signedCase("names with Markdown, mentions and HTML", #"{"event":"meeting.participant_joined","payload":{"object":{"id":"1","participant":{"user_name":"@channel **x** <script>alert(1)</script> [a](http://e.vil)"}}}}"#, 200, nil, published: true),
            Case(name: "request id of 4 KB", body: body,
                 headers: goodSignature + [("x-zm-request-id", String(repeating: "r", count: 4096))],
                 expected: 200, code: nil, published: true),
            // Refused by the HTTP parser itself, before any Lookout code runs.
            Case(name: "control character in a header", body: body,
                 headers: goodSignature + [("x-zm-request-id", "abc\u{7}def")], expected: 400, code: nil),
        ]
    }
}

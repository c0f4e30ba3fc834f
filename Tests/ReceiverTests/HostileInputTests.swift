import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdTesting
import Logging
import LookoutCore
import Testing
import ZoomWebhooks
@testable import Receiver

/// The receiver is exposed to the internet: every kind of bad request below gets the right status
/// and reason over a real socket, and nothing rejected is published. The table this prints is the
/// one in docs/hostile-input.md.
@Suite struct HostileInputTests {
    static let secret = "corpus-secret"
    static let valid = #"{"event":"meeting.participant_joined","event_ts":1795334462000,"payload":{"account_id":"A","object":{"id":"85012345678","topic":"Biology 101","participant":{"user_name":"Ada","join_time":"2026-11-22T08:01:02Z"}}}}"#

    struct Case {
        let name: String
        let body: [UInt8]
        var headers: [(String, String)]
        let expected: Int
        let code: String?
        var published = false
        /// The answer's `status`, when it matters (accepted or duplicate).
        var status: String? = nil
        var chunks: Int = 1
        var pause: Duration = .zero
    }

    static func signed(_ body: [UInt8], timestamp: Int = Int(Date().timeIntervalSince1970), secret: String = secret,
                       contentType: String? = "application/json") -> [(String, String)] {
        var headers = [("x-zm-request-timestamp", String(timestamp)),
                       ("x-zm-signature", WebhookSigner(secretToken: secret).signature(timestamp: String(timestamp), body: body))]
        if let contentType { headers.append(("content-type", contentType)) }
        return headers
    }

    static func corpus() -> [Case] {
        let now = Int(Date().timeIntervalSince1970)
        let body = Array(valid.utf8)
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
            Case(name: "body over 1 MiB", body: Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 10) + body,
                 headers: signed(body), expected: 413, code: "body_too_large"),
            signedCase("empty body", "", 400, "empty_body"),
            signedCase("truncated JSON", String(valid.dropLast(10)), 400, "invalid_json"),
            signedCase("JSON nested 5000 deep", #"{"event":"x","payload":\#(deep)}"#, 400, "invalid_json"),
            Case(name: "invalid UTF-8 in a string", body: Array(#"{"event":"meeting.started","payload":{"object":{"topic":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}}}"#.utf8),
                 headers: signed(Array(#"{"event":"meeting.started","payload":{"object":{"topic":""#.utf8) + [0xC3, 0x28, 0xFF] + Array(#""}}}"#.utf8)),
                 expected: 400, code: "invalid_utf8"),
            Case(name: "NUL bytes", body: [0, 0, 0], headers: signed([0, 0, 0]), expected: 400, code: "invalid_json"),
            signedCase("JSON array", #"[{"event":"meeting.started"}]"#, 400, "invalid_json"),
            signedCase("JSON string", #""meeting.started""#, 400, "invalid_json"),
            signedCase("no event field", #"{"payload":{"object":{}}}"#, 400, "missing_event"),
            signedCase("event is a number", #"{"event":42}"#, 400, "missing_event"),
            signedCase("event is empty", #"{"event":""}"#, 400, "missing_event"),
            signedCase("event name of 300 characters", #"{"event":"\#(String(repeating: "e", count: 300))"}"#, 400, "missing_event"),
            signedCase("URL validation without plainToken", #"{"event":"endpoint.url_validation","payload":{}}"#, 400, "missing_plain_token"),
            Case(name: "URL validation signed with another secret",
                 body: Array(#"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}"#.utf8),
                 headers: signed(Array(#"{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}"#.utf8), secret: "attacker"),
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

    @Test func everyHostileRequestGetsTheRightAnswerAndNothingRejectedIsPublished() async throws {
        let publisher = RecordingPublisher()
        var settings = ReceiverSettings(secretTokens: [Self.secret])
        settings.bodyTimeout = .milliseconds(800)
        let app = makeReceiverApplication(settings: settings, publisher: publisher, logger: Logger(label: "hostile-input"))
        let table = try await app.test(.live) { client in
            var table = ["| request | status | code |", "|---|---|---|"]
            let http = RawHTTP(port: try #require(client.port))
            for item in Self.corpus() {
                let before = publisher.count
                var head = "POST /zoom/webhook HTTP/1.1\r\nhost: localhost\r\ncontent-length: \(item.body.count)\r\nconnection: close\r\n"
                for (name, value) in item.headers { head += "\(name): \(value)\r\n" }
                head += "\r\n"
                let size = max(1, (item.body.count + item.chunks - 1) / item.chunks)
                let chunks = stride(from: 0, to: item.body.count, by: size).map { Array(item.body[$0..<min($0 + size, item.body.count)]) }
                let answer = try await http.send(head: head, chunks: chunks, pause: item.pause)
                let json = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any]
                let code = json?["code"] as? String
                #expect(answer.status == item.expected, "\(item.name): \(answer.head) \(answer.body)")
                if let expectedCode = item.code {
                    #expect(code == expectedCode, "\(item.name)")
                    #expect((json?["reason"] as? String)?.isEmpty == false, "\(item.name) has a reason")
                }
                if let status = item.status { #expect(json?["status"] as? String == status, "\(item.name)") }
                #expect(publisher.count - before == (item.published ? 1 : 0), "\(item.name) published?")
                if item.published {
                    #expect(publisher.published.withLock { $0.last?.body } == item.body, "\(item.name) byte for byte")
                }
                #expect(!answer.head.lowercased().contains("x-zm-request-id"), "\(item.name): no request header echoed")
                table.append("| \(item.name) | \(answer.status) | \(code ?? (json?["status"] as? String) ?? "-") |")
            }
            return table
        }
        #expect(Self.corpus().count >= 30)
        print(table.joined(separator: "\n"))
    }

    /// A body over the cap sent without a declared length is refused part way: the receiver
    /// answers 413 and stops reading. With `connection: close` the server then waits for the
    /// client to go, which it never sees as it no longer reads: the connection, and what it had
    /// buffered, stayed forever (ops/corpus saw memory and descriptors grow). The idle timeout
    /// closes it; the client, still sending, is reset.
    @Test func aConnectionWhoseBodyWasRefusedPartWayIsClosed() async throws {
        var settings = ReceiverSettings(secretTokens: [Self.secret])
        settings.maxBodyBytes = 4096
        settings.idleTimeout = .milliseconds(300)
        let app = makeReceiverApplication(settings: settings, publisher: RecordingPublisher(), logger: Logger(label: "hostile-input"))
        try await app.test(.live) { client in
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(try #require(client.port)).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(connected == 0)
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var head = "POST /zoom/webhook HTTP/1.1\r\nhost: localhost\r\ntransfer-encoding: chunked\r\nconnection: close\r\n"
            for (name, value) in Self.signed(Array(Self.valid.utf8)) { head += "\(name): \(value)\r\n" }
            let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: " "), count: 0x10000) + Array("\r\n".utf8)
            func sendChunk() -> Int32? {
                let sent = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                return sent < 0 ? errno : nil
            }
            _ = Array((head + "\r\n").utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            // Keep sending, as a client that does not read the answer would, until the server
            // stops reading (the send times out) or resets the connection.
            let deadline = ContinuousClock.now + .seconds(10)
            var error: Int32?
            while ContinuousClock.now < deadline {
                error = sendChunk()
                if let error, error == EPIPE || error == ECONNRESET { break }
                if error != nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(error == EPIPE || error == ECONNRESET, "the receiver still holds the connection (last send: errno \(error ?? 0))")
        }
    }
}

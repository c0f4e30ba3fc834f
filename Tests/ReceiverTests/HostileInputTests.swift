import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdTesting
import Logging
import LookoutCore
import LookoutTestSupport
import Testing
import ZoomWebhooks
@testable import Receiver

/// The receiver is exposed to the internet: every kind of bad request of the corpus gets the right
/// status and reason over a real socket, and nothing rejected is published. The table this prints is the
/// one in docs/hostile-input.md.
@Suite struct HostileInputTests {
    static let secret = "corpus-secret"

    /// The corpus ops/corpus sends too (LookoutTestSupport), less the chunked case: every request
    /// here declares its length.
    static func corpus() -> [HostileCorpus.Case] {
        HostileCorpus.cases(secret: secret).filter { $0.sending != .chunked }
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
                    #expect(publisher.published.last?.body == item.body, "\(item.name) byte for byte")
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
            for (name, value) in HostileCorpus.signed(Array(HostileCorpus.valid.utf8), secret: Self.secret) { head += "\(name): \(value)\r\n" }
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

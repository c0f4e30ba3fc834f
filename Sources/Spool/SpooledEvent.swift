import Foundation
import LookoutCore

/// The file format of one spooled event: a JSON header line, then the raw body byte for byte.
enum SpooledEvent {
    private struct Header: Codable {
        let routingKey: String
        let messageID: String
        let receivedAtMilliseconds: Int64
        let source: String
        let requestID: String?
    }

    /// Fails (the event is not spooled, so the receiver answers 503 and Zoom retries) rather than
    /// write a header that would not read back.
    static func encode(_ message: EventMessage) throws(EventSpool.Failure) -> [UInt8] {
        let header = Header(routingKey: message.routingKey, messageID: message.messageID,
                            receivedAtMilliseconds: Int64((message.receivedAt.timeIntervalSince1970 * 1000).rounded()),
                            source: message.source.rawValue, requestID: message.requestID)
        // JSONEncoder escapes newlines inside strings, so the header is exactly one line.
        let line: Data
        do { line = try JSONEncoder().encode(header) } catch { throw .io("cannot encode the spool header: \(error)") }
        return Array(line) + [UInt8(ascii: "\n")] + message.body
    }

    static func decode(_ bytes: [UInt8]) -> EventMessage? {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
              let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[..<newline])),
              let source = EventSource(rawValue: header.source) else { return nil }
        return EventMessage(routingKey: header.routingKey, body: Array(bytes[(newline + 1)...]), messageID: header.messageID,
                            receivedAt: Date(timeIntervalSince1970: Double(header.receivedAtMilliseconds) / 1000),
                            source: source, requestID: header.requestID)
    }
}

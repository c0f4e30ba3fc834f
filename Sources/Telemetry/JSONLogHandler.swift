import Foundation
import Logging
import Synchronization

/// One JSON object per line on standard error, for log collectors: `ts`, `level`, `logger`,
/// `message`, `source`, and the metadata (the Zoom request id among it) as top-level fields.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private static let output = Mutex(FileHandle.standardError)

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        Self.output.withLock { $0.write(Self.line(event, label: label, context: metadata)) }
    }

    static func line(_ event: LogEvent, label: String, context: Logger.Metadata, now: Date = Date()) -> Data {
        var fields: [String: Any] = [:]
        for (key, value) in context.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = json(value) }
        fields["ts"] = now.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        fields["level"] = event.level.rawValue
        fields["logger"] = label
        fields["message"] = "\(event.message)"
        fields["source"] = event.source
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        // A value JSONSerialization refuses (a non-finite number) must not cost the line: then
        // every value is written as its text.
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: options))
            ?? (try? JSONSerialization.data(withJSONObject: fields.mapValues { "\($0)" }, options: options))
            ?? Data(#"{"level":"error","message":"log line not encodable"}"#.utf8)
        return data + Data("\n".utf8)
    }

    private static func json(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(json)
        case .dictionary(let dictionary): dictionary.mapValues(json)
        }
    }
}

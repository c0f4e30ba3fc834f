import Foundation
import ZoomModel

/// A date as MongoDB Extended JSON writes it: `{"$date": {"$numberLong": "<ms>"}}` out, and
/// either that or relaxed `{"$date": "<ISO 8601>"}` in. Millisecond precision, like BSON.
public struct BSONDate: Codable, Sendable, Hashable, Comparable {
    public let milliseconds: Int64

    public init(_ date: Date) { milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    public static func < (a: BSONDate, b: BSONDate) -> Bool { a.milliseconds < b.milliseconds }

    private enum Keys: String, CodingKey { case date = "$date", numberLong = "$numberLong" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if let text = try? container.decode(String.self, forKey: .date) {
            guard let date = ZoomTime.parse(text) else {
                throw DecodingError.dataCorruptedError(forKey: .date, in: container, debugDescription: "bad date \(text)")
            }
            self.init(date)
        } else if let number = try? container.decode(Int64.self, forKey: .date) {
            self.init(milliseconds: number)
        } else {
            let nested = try container.nestedContainer(keyedBy: Keys.self, forKey: .date)
            let text = try nested.decode(String.self, forKey: .numberLong)
            guard let value = Int64(text) else {
                throw DecodingError.dataCorruptedError(forKey: .numberLong, in: nested, debugDescription: "bad $numberLong")
            }
            self.init(milliseconds: value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .date)
        try nested.encode(String(milliseconds), forKey: .numberLong)
    }
}

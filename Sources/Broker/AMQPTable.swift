import CRabbitMQ
import LookoutCore

/// An AMQP field table (queue arguments, message headers) whose memory it owns.
final class AMQPTable {
    enum Value {
        case string(String)
        case int(Int64)
        case bool(Bool)
    }

    private var keys: [AMQPBytes] = []
    private var strings: [AMQPBytes] = []
    private let entries: UnsafeMutablePointer<amqp_table_entry_t>?
    let raw: amqp_table_t

    init(_ fields: [(String, Value)]) {
        guard !fields.isEmpty else {
            entries = nil
            raw = amqp_table_t(num_entries: 0, entries: nil)
            return
        }
        let entries = UnsafeMutablePointer<amqp_table_entry_t>.allocate(capacity: fields.count)
        for (index, (key, value)) in fields.enumerated() {
            let keyBytes = AMQPBytes(key)
            keys.append(keyBytes)
            var field = amqp_field_value_t()
            switch value {
            case .string(let text):
                let bytes = AMQPBytes(text)
                strings.append(bytes)
                field.kind = UInt8(AMQP_FIELD_KIND_UTF8.rawValue)
                field.value.bytes = bytes.raw
            case .int(let number):
                field.kind = UInt8(AMQP_FIELD_KIND_I64.rawValue)
                field.value.i64 = number
            case .bool(let flag):
                field.kind = UInt8(AMQP_FIELD_KIND_BOOLEAN.rawValue)
                field.value.boolean = flag ? 1 : 0
            }
            (entries + index).initialize(to: amqp_table_entry_t(key: keyBytes.raw, value: field))
        }
        self.entries = entries
        raw = amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }

    /// Message headers as a table: strings, integers and flags; structured values (the broker's
    /// own `x-death`) are not republished.
    convenience init(headers: [String: HeaderValue]) {
        self.init(headers.sorted { $0.key < $1.key }.compactMap { key, value in
            switch value {
            case .string(let text): (key, .string(text))
            case .integer(let number): (key, .int(number))
            case .bool(let flag): (key, .bool(flag))
            case .timestamp, .array, .table, .other: nil
            }
        })
    }

    deinit { entries?.deallocate() }

    static var empty: amqp_table_t { amqp_table_t(num_entries: 0, entries: nil) }
}

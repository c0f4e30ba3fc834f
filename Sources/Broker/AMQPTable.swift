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

    /// Message headers as a table: strings stay strings, integers stay integers.
    convenience init(headers: [String: HeaderValue]) {
        self.init(headers.sorted { $0.key < $1.key }.map { key, value in
            switch value {
            case .string(let text): (key, .string(text))
            case .integer(let number): (key, .int(number))
            }
        })
    }

    deinit { entries?.deallocate() }

    static var empty: amqp_table_t { amqp_table_t(num_entries: 0, entries: nil) }
}

extension amqp_table_t {
    /// Every string and integer entry (nested tables such as the broker's `x-death` are left out).
    var headerValues: [String: HeaderValue] {
        guard let entries else { return [:] }
        var values: [String: HeaderValue] = [:]
        for index in 0..<Int(num_entries) {
            values[entries[index].key.string] = entries[index].value.headerValue
        }
        return values
    }
}

extension amqp_field_value_t {
    var headerValue: HeaderValue? {
        switch Int(kind) {
        case Int(AMQP_FIELD_KIND_UTF8.rawValue), Int(AMQP_FIELD_KIND_BYTES.rawValue): .string(value.bytes.string)
        case Int(AMQP_FIELD_KIND_I64.rawValue): .integer(value.i64)
        case Int(AMQP_FIELD_KIND_U64.rawValue): Int64(exactly: value.u64).map(HeaderValue.integer)
        case Int(AMQP_FIELD_KIND_I32.rawValue): .integer(Int64(value.i32))
        case Int(AMQP_FIELD_KIND_U32.rawValue): .integer(Int64(value.u32))
        default: nil
        }
    }
}

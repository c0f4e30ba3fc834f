import CRabbitMQ

/// An AMQP field table (queue arguments, message headers) whose memory it owns.
final class AMQPTable {
    enum Value {
        case string(String)
        case int(Int64)
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
            }
            (entries + index).initialize(to: amqp_table_entry_t(key: keyBytes.raw, value: field))
        }
        self.entries = entries
        raw = amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }

    deinit { entries?.deallocate() }

    static var empty: amqp_table_t { amqp_table_t(num_entries: 0, entries: nil) }
}

extension amqp_table_t {
    private func value(forKey key: String) -> amqp_field_value_t? {
        guard let entries else { return nil }
        return (0..<Int(num_entries)).lazy.map { entries[$0] }.first { $0.key.string == key }?.value
    }

    /// The string value of a header, if present and a string.
    func string(forKey key: String) -> String? {
        guard let field = value(forKey: key) else { return nil }
        switch Int(field.kind) {
        case Int(AMQP_FIELD_KIND_UTF8.rawValue), Int(AMQP_FIELD_KIND_BYTES.rawValue): return field.value.bytes.string
        default: return nil
        }
    }

    /// The integer value of a header, whatever integer width the publisher chose.
    func integer(forKey key: String) -> Int64? {
        guard let field = value(forKey: key) else { return nil }
        switch Int(field.kind) {
        case Int(AMQP_FIELD_KIND_I64.rawValue): return field.value.i64
        case Int(AMQP_FIELD_KIND_U64.rawValue): return Int64(exactly: field.value.u64)
        case Int(AMQP_FIELD_KIND_I32.rawValue): return Int64(field.value.i32)
        case Int(AMQP_FIELD_KIND_U32.rawValue): return Int64(field.value.u32)
        default: return nil
        }
    }
}

import CRabbitMQ
import Foundation
import LookoutCore

/// Header values as rabbitmq-c hands them over.
extension HeaderValue {
    static func fields(of table: amqp_table_t) -> [String: HeaderValue] {
        guard let entries = table.entries else { return [:] }
        var result: [String: HeaderValue] = [:]
        for index in 0..<Int(table.num_entries) {
            result[entries[index].key.string] = HeaderValue(entries[index].value)
        }
        return result
    }

    init(_ field: amqp_field_value_t) {
        switch Int(field.kind) {
        case Int(AMQP_FIELD_KIND_UTF8.rawValue), Int(AMQP_FIELD_KIND_BYTES.rawValue): self = .string(field.value.bytes.string)
        case Int(AMQP_FIELD_KIND_I64.rawValue): self = .integer(field.value.i64)
        case Int(AMQP_FIELD_KIND_I32.rawValue): self = .integer(Int64(field.value.i32))
        case Int(AMQP_FIELD_KIND_U32.rawValue): self = .integer(Int64(field.value.u32))
        case Int(AMQP_FIELD_KIND_I16.rawValue): self = .integer(Int64(field.value.i16))
        case Int(AMQP_FIELD_KIND_U64.rawValue): self = Int64(exactly: field.value.u64).map(HeaderValue.integer) ?? .other
        case Int(AMQP_FIELD_KIND_TIMESTAMP.rawValue): self = .timestamp(Date(timeIntervalSince1970: TimeInterval(field.value.u64)))
        case Int(AMQP_FIELD_KIND_BOOLEAN.rawValue): self = .bool(field.value.boolean != 0)
        case Int(AMQP_FIELD_KIND_TABLE.rawValue): self = .table(Self.fields(of: field.value.table))
        case Int(AMQP_FIELD_KIND_ARRAY.rawValue):
            let array = field.value.array
            self = .array((0..<Int(array.num_entries)).map { HeaderValue(array.entries[$0]) })
        default: self = .other
        }
    }
}

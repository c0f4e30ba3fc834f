import CRabbitMQ

/// A heap copy of a string or byte array in rabbitmq-c's `amqp_bytes_t`, freed with its owner.
/// (A Swift string's temporary C pointer would dangle once the call that made it returns.)
final class AMQPBytes {
    let raw: amqp_bytes_t

    init(_ string: String) {
        raw = string.withCString { amqp_bytes_malloc_dup(amqp_cstring_bytes($0)) }
    }

    deinit { amqp_bytes_free(raw) }
}

extension amqp_bytes_t {
    /// Copies the bytes out into Swift memory.
    var array: [UInt8] {
        guard len > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: len))
    }

    var string: String { String(decoding: array, as: UTF8.self) }
}

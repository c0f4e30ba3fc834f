import CRabbitMQ

/// Lets other threads interrupt a broker thread blocked in `poll` on its socket.
final class WakeSignal: Sendable {
    let descriptor: Int32 = lookout_eventfd()

    func signal() { lookout_eventfd_signal(descriptor) }
    func drain() { lookout_eventfd_drain(descriptor) }

    /// Blocks until the socket has data, `signal()` was called, or the timeout passes.
    func wait(socket: Int32, timeout: Duration) -> (socket: Bool, woken: Bool) {
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let bits = lookout_wait_readable(socket, descriptor, milliseconds)
        if bits & 2 != 0 { drain() }
        return (bits & 1 != 0, bits & 2 != 0)
    }

    /// Sleeps for `duration` unless woken earlier (used for reconnect backoff).
    func sleep(_ duration: Duration) {
        _ = wait(socket: -1, timeout: duration)
    }

    deinit { close(descriptor) }
}

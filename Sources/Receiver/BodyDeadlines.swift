import Synchronization

/// Cancels body reads that run past their deadline, with one sweep for every request in flight
/// instead of a timer task per request.
///
/// A per-request `Task.sleep` raced against the read cost two child tasks per request, and the
/// cancelled sleep's timer stayed queued until it would have fired (10 s): at 2.7k req/s that held
/// ~27k timers, the receiver's RSS growth under load (docs/benchmarks.md). Here a request adds its
/// reader to a table and removes it when done; a sweeper task runs only while the table is not
/// empty, wakes every `interval`, and cancels what is overdue. A read is cancelled between its
/// deadline and one interval later.
package final class BodyDeadlines: Sendable {
    private struct State {
        var table = DeadlineTable<@Sendable () -> Void>()
        var sweeping = false
    }

    private let state = Mutex(State())
    let interval: Duration

    package init(interval: Duration) {
        self.interval = interval
    }

    /// The sweep interval for a body timeout: a tenth of it, within 10–250 ms.
    package static func interval(for timeout: Duration) -> Duration {
        min(.milliseconds(250), max(.milliseconds(10), timeout / 10))
    }

    /// Runs `read` and cancels it if it has not finished by `deadline` (or when the caller is cancelled).
    package func run<T: Sendable>(until deadline: ContinuousClock.Instant,
                          _ read: @escaping @Sendable () async -> T) async -> T {
        let reader = Task.detached(operation: read)
        let (ticket, startSweeper) = state.withLock { state in
            let ticket = state.table.insert({ reader.cancel() }, deadline: deadline)
            defer { state.sweeping = true }
            return (ticket, !state.sweeping)
        }
        if startSweeper { Task.detached { [self] in await sweep() } }
        let value = await withTaskCancellationHandler { await reader.value } onCancel: { reader.cancel() }
        state.withLock { $0.table.remove(ticket) }
        return value
    }

    private func sweep() async {
        while true {
            try? await Task.sleep(for: interval)
            let (overdue, done) = state.withLock { state -> ([@Sendable () -> Void], Bool) in
                let overdue = state.table.removeOverdue(now: .now)
                if state.table.isEmpty { state.sweeping = false }
                return (overdue, !state.sweeping)
            }
            for cancel in overdue { cancel() }
            if done { return }
        }
    }
}

import Synchronization

/// Wakes the dispatch loop when something changed (a delivery came, a post was answered), or
/// when its next deadline passes, whichever is first: no polling.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil as CheckedContinuation<Void, Never>?
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (or at once if it rang since the last wait), at `deadline`, or on cancellation.
    func wait(until deadline: ContinuousClock.Instant?) async {
        let alarm = deadline.map { deadline in
            Task { [self] in
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    ring()
                } catch {}
            }
        }
        defer { alarm?.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let rang = state.withLock { state in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if rang { continuation.resume() }
            }
        } onCancel: {
            ring()
        }
    }
}

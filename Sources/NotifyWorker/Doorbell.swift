import Dispatch
import LookoutCore
import Synchronization

/// Wakes the dispatch loop when something changed (a delivery came, a post was answered), or
/// when its next deadline passes, whichever is first: no polling. The deadline is one dispatch
/// timer, re-armed by each wait — not a sleeping task per wait, whose cancelled timers stay queued
/// until they would have fired.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    /// Used only through its own thread-safe calls (`schedule`, `cancel`).
    nonisolated(unsafe) private let alarm = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "lookout.notify.doorbell"))

    init() {
        alarm.setEventHandler { [weak self] in self?.ring() }
        alarm.schedule(deadline: .distantFuture)
        alarm.activate()
    }

    deinit { alarm.cancel() }

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
        if let deadline {
            let nanoseconds = max(0, (deadline - .now).wholeNanoseconds)
            alarm.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)))
        } else {
            alarm.schedule(deadline: .distantFuture)
        }
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

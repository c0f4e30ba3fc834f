import CRabbitMQ
import Foundation
import ServiceLifecycle

/// Runs blocking C work on a thread of its own, off the Swift concurrency pool, and lets a
/// `Service` wait for it. `stop` is called on graceful shutdown or cancellation; the thread is
/// expected to finish its work in hand and return soon after.
func runOnDedicatedThread(name: String, stop: @escaping @Sendable () -> Void,
                          _ body: @escaping @Sendable () -> Void) async {
    await withGracefulShutdownHandler {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    // Foundation does not name the OS thread here, so it kept its creator's name
                    // (a Swift pool thread's): per-thread CPU from /proc could not tell it apart.
                    lookout_name_thread(name)
                    body()
                    done.resume()
                }
                thread.name = name
                thread.start()
            }
        } onCancel: {
            stop()
        }
    } onGracefulShutdown: {
        stop()
    }
}

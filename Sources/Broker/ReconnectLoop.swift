import LookoutCore

/// The one connect–serve–back-off loop of the broker threads (publisher and consumer): open a
/// connection through the endpoint rotation, serve it until it fails or the thread is stopping,
/// wait with backoff (interruptible by the wake signal), and again — until stopping.
struct ReconnectLoop {
    let endpoints: AMQPEndpoints
    let backoff: RetryPolicy
    let wake: WakeSignal
    let isStopping: () -> Bool

    /// What a round ended with: the connection could not be opened, it was lost while serving,
    /// or serving returned (stopping).
    enum RoundEnd {
        case unreachable(BrokerError)
        case lost(BrokerError)
        case served
    }

    /// - Parameters:
    ///   - open: opens and prepares a connection to one endpoint.
    ///   - serve: uses it; returns when stopping, throws when the connection fails.
    ///   - ended: called after every round, on this thread.
    func run<Connection>(open: (AMQPURL) throws(BrokerError) -> Connection,
                         serve: (Connection, AMQPURL) throws(BrokerError) -> Void,
                         ended: (RoundEnd) -> Void) {
        var attempt = 0
        var rotation = EndpointRotation(endpoints)
        while !isStopping() {
            let connection: Connection, url: AMQPURL
            do {
                (connection, url) = try rotation.connect(open)
            } catch {
                ended(.unreachable(error))
                pause(&attempt)
                continue
            }
            attempt = 0
            do {
                try serve(connection, url)
                ended(.served)
            } catch {
                ended(.lost(error))
            }
            pause(&attempt)
        }
    }

    private func pause(_ attempt: inout Int) {
        guard !isStopping() else { return }
        wake.sleep(backoff.delay(attempt: attempt))
        attempt += 1
    }
}

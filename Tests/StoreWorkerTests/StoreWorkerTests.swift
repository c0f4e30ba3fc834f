import Foundation
import Logging
import LookoutCore
import LookoutTestSupport
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing
@testable import StoreWorker

/// A store that is unavailable for its first `failures` calls, then records inserts.
final class FlakyStore: RawEventStore {
    private let remainingFailures: Mutex<Int>
    let inserted = Mutex<[StoredEvent]>([])
    let attempts = Mutex(0)

    init(failures: Int) { remainingFailures = Mutex(failures) }

    func prepare() async throws(StoreError) {}

    func insert(_ events: [StoredEvent]) async throws(StoreError) -> [InsertOutcome] {
        attempts.withLock { $0 += 1 }
        let fail = remainingFailures.withLock { remaining -> Bool in
            defer { remaining = Swift.max(0, remaining - 1) }
            return remaining > 0
        }
        if fail { throw .unavailable("server selection timed out") }
        inserted.withLock { $0.append(contentsOf: events) }
        return events.map { String(decoding: $0.body, as: UTF8.self).contains("bad") ? .rejected("bad") : .stored }
    }
}

@Suite struct StoreWorkerTests {
    var options: StoreWorker.Options {
        var options = StoreWorker.Options()
        options.retry = RetryPolicy(initial: .milliseconds(5), maximum: .milliseconds(20))
        return options
    }

    @Test func retriesWhileTheStoreIsDownThenAcks() async throws {
        let source = ScriptedSource([[Delivery.test(1, body: stub), Delivery.test(2, body: Array(#"{"event":"bad"}"#.utf8))]])
        let store = FlakyStore(failures: 3)
        let worker = StoreWorker(source: source, store: store, options: options, logger: Logger(label: "test"))
        let run = Task { try await worker.run() }
        try await eventually("both are settled") { source.settlements.count >= 2 }
        run.cancel()
        _ = try? await run.value
        #expect(store.attempts.withLock { $0 } == 4)
        #expect(store.inserted.withLock { $0.count } == 2)
        #expect(source.settlements.map(\.0) == [1, 2])
        #expect(source.settlements.map(\.1) == [.ack, .deadLetter(reason: "bad")])
    }

    @Test func handsTheBatchBackIfShutdownComesWhileTheStoreIsDown() async throws {
        let source = ScriptedSource([[Delivery.test(7, body: stub)]])
        let store = FlakyStore(failures: .max)
        let worker = StoreWorker(source: source, store: store, options: options, logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            let run = Task { try await worker.run() }
            try await eventually("the store was tried twice") { store.attempts.withLock { $0 } >= 2 }
            trigger.triggerGracefulShutdown()
            try await run.value
        }
        #expect(source.settlements.map(\.0) == [7])
        #expect(source.settlements.map(\.1) == [.requeue])
        #expect(store.inserted.withLock { $0.isEmpty })
    }
}

import Logging
import Testing
@testable import Dashboard

@Suite struct ProjectionFeedTests {
    @Test func viewersShareOneSnapshotReadPerVersion() async throws {
        let source = FixedSource()
        let feed = ProjectionFeed(source: source, logger: Logger(label: "test"))
        await feed.poll()
        async let a = feed.current()
        async let b = feed.current()
        _ = try await (a, b)
        _ = try await feed.current()
        #expect(source.reads == 1)
        source.change()
        #expect(await feed.poll())
        #expect(try await feed.current().version == 2)
        #expect(source.reads == 2)
        #expect(!(await feed.poll()))
    }

    @Test func idleStreamsGetKeepalivesAndEndWithTheFeed() async throws {
        let feed = ProjectionFeed(source: FixedSource(), interval: .milliseconds(10), keepalive: .milliseconds(50),
                                  logger: Logger(label: "test"))
        let updates = await feed.subscribe()
        let running = Task { try await feed.run() }
        var iterator = updates.makeAsyncIterator()
        #expect(await iterator.next() == .version(1))
        #expect(await iterator.next() == .keepalive)
        running.cancel()
        while let update = await iterator.next() { #expect(update == .keepalive) }
        #expect(feed.subscriberCount == 0)
    }

    @Test func aFailingStoreIsNotAChange() async throws {
        let feed = ProjectionFeed(source: FixedSource(failing: true), logger: Logger(label: "test"))
        #expect(!(await feed.poll()))
        await #expect(throws: (any Error).self) { try await feed.current() }
    }
}

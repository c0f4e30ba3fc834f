import Foundation
import LookoutTestSupport
import MongoStorage
import ProjectionWorker
import Projections
import Testing

/// The recorded-shape class with breakout rooms and reconnects (Tests/ProjectionsTests/Fixtures,
/// made by make_breakout_class.py; the truth from its scenario) through the real receiver, broker,
/// store and project worker, with part of it delivered twice.
@Suite(.enabled(if: TestEnvironment.available), .serialized)
struct BreakoutClassPipelineTests {
    struct Truth: Decodable {
        struct Person: Decodable {
            let seconds_in_room: Int
            let moves: Int
            let reconnects: Int
        }
        let people: [String: Person]
    }

    /// Zoom's events, not the incident Lookout announced about them.
    static let meetingEvents: BSONDocument = ["event": Pipeline.meetingEventNames]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ProjectionsTests/Fixtures")

    @Test func eachPersonGetsTheirTimeInRoomMovesAndReconnects() async throws {
        let bodies = try String(contentsOf: Self.fixtures.appendingPathComponent("breakout_class.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("breakout_class.truth.json")))
        let pipeline = try await Pipeline()
        try await pipeline.startReceiver()
        pipeline.startStoreWorker()
        pipeline.startProjectWorker()
        for body in bodies + bodies.prefix(30) { #expect(try await pipeline.post(body) == 200) }
        let store = MongoProjectionStore(database: pipeline.database)
        try await eventually("every person projected and out of the room", timeout: .seconds(90)) {
            let snapshot = try await store.snapshot()
            return snapshot.presence.count == truth.people.count && snapshot.presence.allSatisfy { !$0.inRoom }
                && snapshot.incidents.count == 1
        }
        let people = Dictionary(uniqueKeysWithValues: try await store.snapshot().presence.map { ($0.name, $0) })
        for (name, expected) in truth.people {
            let row = try #require(people[name], "\(name)")
            #expect(abs(row.secondsInRoom - expected.seconds_in_room) <= 1, "\(name)")
            #expect(row.moves == expected.moves, "\(name)")
            #expect(row.reconnects == expected.reconnects, "\(name)")
        }
        // Every delivery stored once, the repeated ones included.
        try await eventually("the store queue is drained") {
            let stored = try await pipeline.storedCount(Self.meetingEvents)
            return try pipeline.queueDepth(pipeline.topology.layout.storeQueue) == 0 && stored >= bodies.count
        }
        #expect(try await pipeline.storedCount(Self.meetingEvents) == bodies.count)
        await pipeline.shutdown()
    }
}

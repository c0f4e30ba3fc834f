import Foundation
import Testing
@testable import Projections
import ZoomModel
import ZoomWebhooks

/// A class in the shape of real Zoom deliveries (Fixtures/make_breakout_class.py: room moves as
/// same-second left/joined pairs in either order, a third with the plain reason, breakout-room
/// events, reconnects under a new participant_uuid, Client Close, host ended, waiting room),
/// replayed in arrival order. The truth comes from the scenario, not from Lookout.
@Suite struct BreakoutClassTests {
    struct Truth: Decodable {
        struct Person: Decodable {
            let seconds_in_room: Int
            let moves: Int
            let reconnects: Int
        }
        struct Step: Decodable {
            let events: Int
            let in_room: [String]
        }
        let people: [String: Person]
        let steps: [Step]
    }

    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    let bodies: [[UInt8]]
    let truth: Truth
    let rules = ProjectionRules()

    init() throws {
        bodies = String(decoding: try Self.fixture("breakout_class.jsonl"), as: UTF8.self).split(separator: "\n").map { Array($0.utf8) }
        truth = try JSONDecoder().decode(Truth.self, from: try Self.fixture("breakout_class.truth.json"))
    }

    func facts(_ bodies: some Sequence<[UInt8]>) throws -> [AttendanceFact] {
        try bodies.compactMap { body in
            if case .attendance(let fact, _) = try ProjectionInput.from(body: body, id: IdempotencyKey.of(body), rules: rules) { fact } else { nil }
        }
    }

    func presence(_ facts: [AttendanceFact]) -> [String: ParticipantPresence] {
        Dictionary(uniqueKeysWithValues: Projector.update(groupFacts: facts, instanceFacts: [], rules: rules).presence.map { ($0.name, $0) })
    }

    @Test func theRightPeopleAreInTheRoomAfterEveryMoment() throws {
        #expect(truth.steps.map(\.events).reduce(0, +) == bodies.count)
        var delivered = 0
        for (index, step) in truth.steps.enumerated() {
            delivered += step.events
            let shown = presence(try facts(bodies.prefix(delivered))).values.filter(\.inRoom).map(\.name).sorted()
            #expect(shown == step.in_room, "after moment \(index)")
        }
    }

    @Test func timeInRoomMovesAndReconnectsAreTheTruth() throws {
        let people = presence(try facts(bodies))
        #expect(people.count == truth.people.count)
        for (name, expected) in truth.people {
            let row = try #require(people[name], "\(name)")
            #expect(abs(row.secondsInRoom - expected.seconds_in_room) <= 1, "\(name)")
            #expect(row.moves == expected.moves, "\(name)")
            #expect(row.reconnects == expected.reconnects, "\(name)")
            #expect(!row.inRoom, "\(name)")
        }
        // A move is never a disconnection; the three reconnects are, and nothing else is.
        let drops = people.values.flatMap(\.disconnections)
        #expect(drops.count == 3 && drops.allSatisfy { $0.kind == .reconnect && $0.bounced })
        let total = truth.people.values.map(\.seconds_in_room).reduce(0, +)
        #expect(abs(people.values.map(\.secondsInRoom).reduce(0, +) - total) <= truth.people.count)
    }

    @Test func everyoneIsShownInTheirBreakoutRoomDuringTheBreakout() throws {
        // Up to the first "back to the main room" moment: everyone is in a breakout room.
        let firstBack = try #require(bodies.firstIndex { String(decoding: $0, as: UTF8.self).contains("participant_left_breakout_room") })
        let people = presence(try facts(bodies.prefix(firstBack)))
        #expect(people.values.filter(\.inRoom).allSatisfy { $0.room != nil })
        #expect(Set(people.values.compactMap(\.room)).count == 4)
    }

    @Test func anyOrderAndRepeatedDeliveriesGiveTheSameResult() throws {
        let ordered = Projector.update(groupFacts: try facts(bodies), instanceFacts: try facts(bodies), rules: rules)
        var generator = SeededGenerator(seed: 13)
        for _ in 0..<5 {
            let delivered = try facts((bodies + bodies.prefix(40)).shuffled(using: &generator))
            #expect(Projector.update(groupFacts: delivered, instanceFacts: delivered, rules: rules) == ordered)
        }
        // The three reconnects within a minute are one collective disconnection; moves are none.
        #expect(ordered.incidents.flatMap(\.incidents).map(\.participants) == [["Dana Levi", "Emil Novak", "Fatima Zahra"]])
        #expect(ordered.peaks.map(\.participants) == [20])
    }
}

import Testing
@testable import Projections

/// The worker keeps a person's presence per instance and merges the parts on reading; the parts
/// must merge to what computing the person from all their facts at once gives (`PresenceTimeline`).
@Suite struct PresencePartTests {
    /// A small deterministic generator (SplitMix64), so a failure names its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let reasons = [nil, "left the meeting", "got disconnected from the meeting. Reason : Network connection error.",
                          "left the meeting. Reason : Client Close", "leave the meeting to join breakout room",
                          "The host ended the meeting"]

    /// People of one recurring meeting over three instances: connections under new records,
    /// moves in the same second, rejoins within the bounce window, leaves never received (an
    /// open connection in an earlier instance), leaves without joins, room events.
    static func facts(seed: UInt64) -> [AttendanceFact] {
        var random = Generator(state: seed)
        var facts: [AttendanceFact] = []
        for person in 0..<6 {
            let name = ["Ada", "Alan", "Grace", "Edsger", "Katherine", "Barbara"][person]
            var serial = 0
            for instance in 0..<3 where Bool.random(using: &random) || instance == 2 {
                let uuid = "inst-\(instance)=="
                var at = Int64(instance) * 10_000_000 + Int64.random(in: 0..<60_000, using: &random)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    serial += 1
                    let attendee = Bool.random(using: &random) ? "\(name)-\(serial)" : "\(name)-0"
                    func fact(_ kind: AttendanceFact.Kind, _ at: Int64, reason: String? = nil) -> AttendanceFact {
                        AttendanceFact(id: "\(uuid)|\(attendee)|\(kind.rawValue)|\(at)", meetingID: "850", meetingUUID: uuid,
                                       attendee: attendee, participantUUID: attendee, name: name, kind: kind,
                                       at: BSONDate(milliseconds: at), leaveReason: reason,
                                       room: kind == .roomJoin || kind == .roomLeave ? "room-1" : nil, topic: "Class \(instance)")
                    }
                    if Int.random(in: 0..<8, using: &random) > 0 { facts.append(fact(.join, at)) }
                    if Int.random(in: 0..<4, using: &random) == 0 { facts.append(fact(.roomJoin, at + 500)) }
                    at += Int64.random(in: 1000...900_000, using: &random)
                    // Sometimes no leave: open until the instance's end, or ended unseen.
                    if Int.random(in: 0..<5, using: &random) > 0 {
                        facts.append(fact(.leave, at, reason: reasons.randomElement(using: &random)!))
                    }
                    // A rejoin within the bounce window, in the same second (a move), or later.
                    at += [0, 2000, 15_000, 400_000].randomElement(using: &random)!
                }
            }
        }
        return facts
    }

    @Test(arguments: 1...200 as ClosedRange<UInt64>)
    func partsMergeToThePersonComputedFromAllTheirFacts(seed: UInt64) {
        let facts = Self.facts(seed: seed)
        let rules = ProjectionRules()
        let merged = ExportTable(ProjectionChanges(instances: Projector.records(of: facts, rules: rules))).snapshot.presence
        let whole = Projector.update(groupFacts: facts, instanceFacts: facts, rules: rules).presence
        #expect(merged == whole, "seed \(seed)")
    }

    @Test func anInstanceReadAgainReplacesItsPartsAndKeepsTheOthers() {
        let facts = Self.facts(seed: 7)
        let rules = ProjectionRules()
        let early = facts.filter { $0.instance != "inst-2==" }
        var table = ExportTable(ProjectionChanges(instances: Projector.records(of: early, rules: rules)))
        table.apply(ProjectionChanges(instances: Projector.records(of: facts.filter { $0.instance == "inst-2==" }, rules: rules)))
        #expect(table.snapshot.presence == Projector.update(groupFacts: facts, instanceFacts: facts, rules: rules).presence)
    }
}

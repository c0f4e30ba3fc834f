import Foundation
import LookoutTestSupport
import Projections
import ZoomWebhooks

/// The recorded class of ops/demo/events.jsonl (Biology, meeting 85012345678) as it stood at
/// 08:30 UTC, plus two made-up meetings: Chemistry, where three dropped at the same moment as in
/// Biology (platform-wide), and Physics, with an incident of its own an hour earlier.
enum Fixture {
    static let now = date("2026-11-22T08:30:00Z")
    static let biology = "85012345678"
    static let chemistry = "86000000001"
    static let physics = "87000000002"
    static let hostile = "<script>alert(1)</script>"

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    static func snapshot(at moment: Date = now) throws -> ProjectionSnapshot {
        let rules = ProjectionRules()
        let inputs = try (demoBodies() + madeUpBodies()).map { try ProjectionInput.from(body: $0, id: IdempotencyKey.of($0), rules: rules) }
        var facts: [AttendanceFact] = [], alerts: [QualityAlert] = [], lifecycles: [MeetingLifecycle] = []
        for input in inputs {
            switch input {
            case .attendance(let fact, let lifecycle) where fact.at.date <= moment:
                facts.append(fact)
                lifecycles.append(lifecycle)
            case .alert(let alert, _) where alert.at.date <= moment: alerts.append(alert)
            case .lifecycle(let lifecycle) where (lifecycle.startedAt ?? lifecycle.endedAt)!.date <= moment: lifecycles.append(lifecycle)
            default: break
            }
        }
        let update = Projector.update(groupFacts: facts, instanceFacts: facts, rules: rules)
        let meetings = try Dictionary(grouping: lifecycles, by: \.instance).map { instance, parts in
            try meeting(instance, parts, peak: update.peaks.first { $0.instance == instance }?.participants)
        }
        return ProjectionSnapshot(presence: update.presence,
                                  incidents: update.incidents.flatMap(\.incidents), meetings: meetings, alerts: alerts)
    }

    /// A meeting document as the store merges it (`$min` start, `$max` end).
    private static func meeting(_ instance: String, _ parts: [MeetingLifecycle], peak: Int?) throws -> MeetingSummary {
        func date(_ value: BSONDate?) -> Any { value.map { ["$date": ["$numberLong": String($0.milliseconds)]] } ?? NSNull() }
        let document: [String: Any] = [
            "_id": instance, "meeting_id": parts[0].meetingID, "topic": parts.compactMap(\.topic).last ?? NSNull(),
            "started_at": date(parts.compactMap(\.startedAt).min()), "ended_at": date(parts.compactMap(\.endedAt).max()),
            "peak_participants": peak ?? NSNull(),
        ]
        return try JSONDecoder().decode(MeetingSummary.self, from: JSONSerialization.data(withJSONObject: document))
    }

    static func demoBodies() throws -> [[UInt8]] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("ops/demo/events.jsonl")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }.map { Array($0.utf8) }
    }

    /// The made-up meetings: the recorded bodies (LookoutTestSupport's `ZoomBodies`) with their
    /// people, meetings and times, every one at the demo's event_ts; each leave's `leave_reason` as given.
    static func madeUpBodies() -> [[UInt8]] {
        let ts: Int64 = 1_795_334_400_000
        let chemistryStart = ZoomBodies.started(meeting: chemistry, topic: "Chemistry 201", at: "2026-11-22T08:00:00Z", eventTS: ts)
        let chemistryClass = [("Marie Curie", "08:02:00"), ("Rosalind Franklin", "08:02:10"), ("Dorothy Hodgkin", "08:02:20"),
                              (hostile, "08:03:00")].map {
            ZoomBodies.joined($0.0, meeting: chemistry, topic: "Chemistry 201", at: "2026-11-22T\($0.1)Z", eventTS: ts)
        }
        let chemistryDrops = [("Marie Curie", "08:20:05"), ("Rosalind Franklin", "08:20:15"), ("Dorothy Hodgkin", "08:20:30")].map {
            ZoomBodies.left($0.0, meeting: chemistry, topic: "Chemistry 201", at: "2026-11-22T\($0.1)Z",
                            rawReason: "got disconnected. Reason : Network connection error.", eventTS: ts)
        }
        let physicsClass = ["Richard Feynman", "Lise Meitner", "Emmy Noether"].flatMap { name in
            [ZoomBodies.joined(name, meeting: physics, topic: "Physics 301", at: "2026-11-22T07:00:00Z", eventTS: ts),
             ZoomBodies.left(name, meeting: physics, topic: "Physics 301", at: "2026-11-22T07:10:00Z", rawReason: "lost connection", eventTS: ts)]
        }
        return [chemistryStart] + chemistryClass + chemistryDrops + physicsClass
    }
}

@testable import Dashboard

extension Fixture {
    /// The snapshot arranged as the pages read it.
    static func data(_ snapshot: ProjectionSnapshot) -> DashboardData { DashboardData(snapshot, windowSeconds: 60) }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    /// The last 7 days up to `now`, in UTC.
    static func week(now: Date = now) -> Period {
        try! Period.resolve(kind: .week, from: nil, to: nil, defaultKind: .week, termStart: nil, calendar: utc, now: now)
    }

    static func audience(_ privacy: ExportPrivacy) -> Audience { Audience(privacy: privacy, isFull: false) }
}

import Foundation
import Projections
import ZoomWebhooks

/// The recorded class in ops/demo/events.jsonl (also what `ops/run` replays), in arrival order.
enum DemoSession {
    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ops/demo/events.jsonl")

    static func bodies() throws -> [[UInt8]] {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }.map { Array($0.utf8) }
    }

    static func inputs(rules: ProjectionRules = ProjectionRules()) throws -> [ProjectionInput] {
        try bodies().map { try ProjectionInput.from(body: $0, id: IdempotencyKey.of($0), rules: rules) }
    }

    static func facts(rules: ProjectionRules = ProjectionRules()) throws -> [AttendanceFact] {
        try inputs(rules: rules).compactMap { if case .attendance(let fact, _) = $0 { fact } else { nil } }
    }

    /// The update a store holding every fact would compute.
    static func fullUpdate(_ facts: [AttendanceFact], rules: ProjectionRules = ProjectionRules()) -> Projector.Update {
        Projector.update(groupFacts: facts, instanceFacts: facts, rules: rules)
    }
}

func utc(_ hour: Int, _ minute: Int, _ second: Int) -> BSONDate {
    BSONDate(Date(timeIntervalSince1970: 1_795_305_600 + Double(hour * 3600 + minute * 60 + second)))
}

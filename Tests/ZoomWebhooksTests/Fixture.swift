import Foundation
import LookoutTestSupport

/// Recorded Zoom deliveries, byte for byte (LookoutTestSupport's).
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] { try RecordedFixtures.bytes(name) }

    static let all = ["participant_joined", "participant_left", "participant_joined_guest", "meeting_started",
                      "meeting_ended", "sharing_started", "url_validation"]
}

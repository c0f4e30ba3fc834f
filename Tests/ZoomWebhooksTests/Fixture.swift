import Foundation

/// Recorded Zoom deliveries, byte for byte.
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }

    static let all = ["participant_joined", "participant_left", "participant_joined_guest", "meeting_started",
                      "meeting_ended", "sharing_started", "url_validation"]
}

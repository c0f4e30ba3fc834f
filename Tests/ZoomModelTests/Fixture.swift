import Foundation
import LookoutTestSupport

/// Recorded-shape Zoom payloads (REFERENCE.md, Zoom's documentation samples), by file name
/// (LookoutTestSupport's).
enum Fixture {
    static func bytes(_ name: String) throws -> [UInt8] { try RecordedFixtures.bytes(name) }
}

import Foundation

/// Recorded-shape Zoom deliveries (REFERENCE.md, Zoom's documentation samples) and a Lookout
/// incident, byte for byte, by file name (Tests/LookoutTestSupport/Fixtures): one copy for every
/// test target.
public enum RecordedFixtures {
    public static func bytes(_ name: String) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        return Array(try Data(contentsOf: url))
    }
}

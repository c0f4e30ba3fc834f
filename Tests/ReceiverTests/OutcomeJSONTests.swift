import Foundation
import Testing
@testable import Receiver

/// The hand-written answer JSON says exactly what `JSONEncoder` said for the same `Outcome`.
@Suite struct OutcomeJSONTests {
    static let outcomes: [Outcome] = [
        Outcome(status: "accepted", messageID: String(repeating: "ab", count: 32)),
        Outcome(status: "accepted", messageID: "id", spooled: true),
        Outcome(status: "rejected", reason: "signature does not match", code: "bad_signature"),
        Outcome(status: "unavailable", reason: #"broker did not confirm: "x" \ y; spool full"#),
        Outcome(status: "unavailable", reason: "tab\tnew line\ncontrol\u{1}bell\u{7} é 😀 </script>"),
        Outcome(status: "up", spoolDepth: 0),
        Outcome(status: "ready", reason: "broker unreachable; accepting into the spool", spooled: false, spoolDepth: 12),
    ]

    @Test(arguments: outcomes)
    func sameValueAsJSONEncoder(outcome: Outcome) throws {
        let handWritten = try JSONDecoder().decode(Outcome.self, from: Data(outcome.json.utf8))
        #expect(handWritten == outcome)
        let viaFoundation = try JSONSerialization.jsonObject(with: Data(outcome.json.utf8)) as? NSDictionary
        let expected = try JSONSerialization.jsonObject(with: JSONEncoder().encode(outcome)) as? NSDictionary
        #expect(viaFoundation == expected)
    }
}

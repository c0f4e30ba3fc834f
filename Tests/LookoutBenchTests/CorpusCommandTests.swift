import Foundation
import LookoutTestSupport
import Testing
import ZoomWebhooks
@testable import LookoutBench

/// `lookout-bench corpus`: the Swift corpus as ops/corpus.d/hostile.py reads it, so the two cannot drift.
@Suite struct CorpusCommandTests {
    @Test func everyCaseIsPrintedWithItsBytesHeadersAndExpectedStatus() throws {
        let cases = HostileCorpus.cases(secret: "s3cret", now: 1_795_334_462)
        let lines = try cases.map { try JSONDecoder().decode(CorpusLine.self, from: JSONEncoder().encode(CorpusLine($0))) }
        #expect(lines.count == cases.count)
        #expect(Set(lines.map(\.name)).count == lines.count, "names are unique: the report names the case")
        for (item, line) in zip(cases, lines) {
            #expect(line.name == item.name)
            #expect(Data(base64Encoded: line.body) == Data(item.body), "\(item.name)")
            #expect(line.headers.map { $0[0] } == item.headers.map(\.0), "\(item.name)")
            #expect(line.headers.map { $0[1] } == item.headers.map(\.1), "\(item.name)")
            #expect(line.expected == item.expected)
            #expect(line.sending == item.sending)
        }
        // The ops-only case, and the ones sent differently.
        #expect(lines.filter { $0.sending == .chunked }.map(\.name) == ["body of 2 MiB, chunked, no declared length"])
        #expect(lines.filter { $0.sending == .headOnly }.map(\.name) == ["body over 1 MiB"])
        #expect(lines.first { $0.name == "body trickled slower than the body timeout" }?.pieces == 4)
    }

    @Test func casesAreSignedWithTheProjectsSignerAtTheGivenTime() throws {
        let valid = try #require(HostileCorpus.cases(secret: "s3cret", now: 1_795_334_462)
            .first { $0.name == "signed 30 minutes ago (a retry keeping its timestamp)" })
        let headers = Dictionary(valid.headers, uniquingKeysWith: { first, _ in first })
        #expect(headers["x-zm-request-timestamp"] == String(1_795_334_462 - 1800))
        #expect(headers["x-zm-signature"] == WebhookSigner(secretToken: "s3cret").signature(timestamp: String(1_795_334_462 - 1800), body: valid.body))
        #expect(headers["content-type"] == "application/json")
    }
}

import ArgumentParser
import Foundation
import LookoutTestSupport

/// One case of the hostile-input corpus as ops/corpus.d/hostile.py reads it: the body in base64
/// (it holds NUL bytes and invalid UTF-8), the headers in order, the status expected.
struct CorpusLine: Codable, Equatable {
    var name: String
    var body: String
    var headers: [[String]]
    var expected: Int
    var sending: HostileCorpus.Sending
    /// Pieces of a trickled body (1: all at once).
    var pieces: Int

    init(_ item: HostileCorpus.Case) {
        name = item.name
        body = Data(item.body).base64EncodedString()
        headers = item.headers.map { [$0.0, $0.1] }
        expected = item.expected
        sending = item.sending
        pieces = item.chunks
    }
}

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Print the hostile-input corpus, signed now, one JSON object a line (ops/corpus).",
        discussion: "The cases of HostileInputTests (Tests/LookoutTestSupport/HostileCorpus.swift): name, body (base64), headers, expected status, how to send it.")

    @Option(help: "The receiver's Zoom secret token, to sign the cases with.") var secret: String
    @Option(help: "Unix seconds to sign at (default: now).") var now: Int?

    func run() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data()
        for item in HostileCorpus.cases(secret: secret, now: now ?? Int(Date().timeIntervalSince1970)) {
            out += try encoder.encode(CorpusLine(item))
            out.append(UInt8(ascii: "\n"))
        }
        FileHandle.standardOutput.write(out)
    }
}

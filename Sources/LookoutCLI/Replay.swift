import ArgumentParser
import Foundation
import CurlHTTP
import ZoomWebhooks

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send recorded Zoom events to a receiver, each signed now like Zoom would.",
        discussion: """
        FILE holds one JSON event per line (JSON Lines); blank lines and lines starting with # are \
        skipped. Each line is sent byte for byte. Exits non-zero if any event was not accepted.
        """)

    @Argument(help: "JSON Lines file of Zoom events; - for standard input.")
    var file: String

    @Option(help: "Receiver webhook URL.")
    var url = "http://127.0.0.1:8080/zoom/webhook"

    @Option(help: "The Zoom app's secret token (default: first of LOOKOUT_ZOOM_SECRET_TOKEN).")
    var secret: String?

    @Option(help: "Requests in flight at once.")
    var concurrency = 8

    @Option(help: "Events per second at most (0: as fast as the receiver answers).")
    var rate: Double = 0

    @Flag(help: "Print one line per event.")
    var verbose = false

    @Option(help: "Write one line per event to this file: its idempotency key and the answer (status or error).")
    var report: String?

    func validate() throws {
        guard (1...512).contains(concurrency) else { throw ValidationError("--concurrency must be in 1...512") }
        guard rate >= 0 else { throw ValidationError("--rate must not be negative") }
    }

    func run() async throws {
        try await reportingFailures {
            let events = try ReplayFile.events(in: try readInput(file))
            let signer = WebhookSigner(secretToken: try secretToken(secret))
            let sender = ReplaySender(url: url, signer: signer, transport: CurlTransport(),
                                      concurrency: concurrency, rate: rate, verbose: verbose)
            let tally = await sender.send(events)
            print(tally.summary)
            if let report {
                let lines = zip(events, tally.answers).map { "\(IdempotencyKey.of($0)) \($1)" }
                guard FileManager.default.createFile(atPath: report, contents: Data((lines.joined(separator: "\n") + "\n").utf8)) else {
                    throw Failure.input("cannot write \(report)")
                }
            }
            if tally.failed > 0 { throw ExitCode(1) }
        }
    }
}

/// Splits a JSON Lines file into event bodies, refusing a line that is not a JSON object.
enum ReplayFile {
    static func events(in bytes: [UInt8]) throws -> [[UInt8]] {
        var events: [[UInt8]] = []
        for (number, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }
            guard let first = trimmed.first, first != UInt8(ascii: "#") else { continue }
            let body = Array(line.last == 0x0d ? line.dropLast() : line[...])
            guard first == UInt8(ascii: "{"), (try? JSONSerialization.jsonObject(with: Data(body))) != nil else {
                throw Failure.input("line \(number + 1) is not a JSON object")
            }
            events.append(body)
        }
        guard !events.isEmpty else { throw Failure.input("no events in the file") }
        return events
    }
}

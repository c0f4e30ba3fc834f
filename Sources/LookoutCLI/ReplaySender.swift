import Foundation
import CurlHTTP
import ZoomWebhooks

/// Sends signed events to a receiver with bounded concurrency and an optional rate.
struct ReplaySender: Sendable {
    let url: String
    let signer: WebhookSigner
    let transport: any HTTPTransport
    let concurrency: Int
    let rate: Double
    let verbose: Bool

    struct Tally: Sendable {
        var accepted = 0
        var failed = 0
        var byStatus: [String: Int] = [:]
        /// The answer to each event, in file order.
        var answers: [String] = []
        var elapsed: Duration = .zero

        var summary: String {
            let statuses = byStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let perSecond = seconds > 0 ? Double(accepted + failed) / seconds : 0
            return "sent \(accepted + failed) events in \(String(format: "%.2f", seconds)) s "
                + "(\(String(format: "%.0f", perSecond))/s): \(accepted) accepted, \(failed) not accepted [\(statuses)]"
        }
    }

    func send(_ events: [[UInt8]]) async -> Tally {
        let clock = ContinuousClock()
        let start = clock.now
        var tally = Tally()
        tally.answers = Array(repeating: "", count: events.count)
        await withTaskGroup(of: (Int, String).self) { group in
            var next = 0
            func launch() {
                let index = next
                let body = events[index]
                next += 1
                group.addTask {
                    if rate > 0 { try? await clock.sleep(until: start + .seconds(Double(index) / rate)) }
                    return (index, await post(body))
                }
            }
            while next < min(concurrency, events.count) { launch() }
            for await (index, status) in group {
                tally.byStatus[status, default: 0] += 1
                tally.answers[index] = status
                if status == "200" { tally.accepted += 1 } else { tally.failed += 1 }
                if verbose { print("event \(index + 1): \(status)") }
                if next < events.count { launch() }
            }
        }
        tally.elapsed = clock.now - start
        return tally
    }

    private func post(_ body: [UInt8]) async -> String {
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let request = OutboundRequest(url: url, headers: [
            ("content-type", "application/json"),
            ("x-zm-request-timestamp", timestamp),
            ("x-zm-signature", signer.signature(timestamp: timestamp, body: body)),
            ("x-zm-request-id", UUID().uuidString.lowercased()),
        ], body: body)
        do {
            let response = try await transport.send(request)
            if response.status != 200, verbose { print("  \(response.status): \(response.text)") }
            return String(response.status)
        } catch {
            return "error: \(error)"
        }
    }
}

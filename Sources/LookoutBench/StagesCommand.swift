import ArgumentParser
import Foundation
import Metrics
import Receiver
import NIOCore
import Telemetry
import ZoomWebhooks

/// The receiver's request stages one by one, on one signed 1 KB webhook, in this process (no HTTP,
/// no broker): where the receiver's CPU per request goes. Prints one `stage=NAME us=MICROSECONDS` line each.
struct StagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages",
        abstract: "Time the receiver's request stages in isolation (µs per call).")

    @Option(help: "Calls per stage.") var iterations = 20_000

    func run() async throws {
        Telemetry.bootstrapMetrics()
        let secret = "bench-secret-token"
        let body = SyntheticEvent.body(index: 1, run: "stages", meetings: 1, size: 1024)
        let now = Date()
        let timestamp = "\(Int(now.timeIntervalSince1970))"
        let signature = WebhookSigner(secretToken: secret).signature(timestamp: timestamp, body: body)
        let verifier = WebhookVerifier(secretTokens: [secret])
        let timer = StageTimer(iterations: iterations)
        let buffer = ByteBuffer(bytes: body)
        var timings: [StageTiming] = []
        func time(_ name: String, _ body: () throws -> Void) rethrows {
            timings.append(StageTiming(name: name, nanoseconds: try timer.nanoseconds(body)))
        }

        try time("verify_hmac") { _ = try verifier.verify(signature: signature, timestamp: timestamp, body: body, now: now) }
        try time("decode_envelope") { _ = try WebhookEnvelope.decode(Data(body)) }
        time("decode_jsonserialization_only") { _ = try? JSONSerialization.jsonObject(with: Data(body)) }
        time("decode_jsondecoder_only") { _ = try? JSONDecoder().decode(EnvelopeFields.self, from: Data(body)) }
        time("idempotency_key") { _ = IdempotencyKey.of(body) }
        time("body_copy_to_array") { _ = Array(buffer.readableBytesView) }
        time("body_copy_to_data") { _ = Data(body) }
        time("counter_created_per_call") {
            Counter(label: "lookout_webhooks_total", dimensions: [("outcome", "accepted"), ("reason", "")]).increment()
        }
        let cached = Counter(label: "lookout_webhooks_total", dimensions: [("outcome", "accepted"), ("reason", "")])
        time("counter_cached") { cached.increment() }
        time("counter_receiver_webhook_counters") { WebhookCounters.increment("accepted") }
        let latency = Metrics.Timer(label: "lookout_publish_confirm_seconds")
        time("timer_record") { latency.recordNanoseconds(1_500_000) }
        time("response_json_encoder") {
            _ = ByteBuffer(bytes: try! JSONEncoder().encode(Outcome(status: "accepted", messageID: IdempotencyKey.of(body))))
        }
        let key = IdempotencyKey.of(body)
        time("response_receiver_outcome_json") { _ = ByteBuffer(string: acceptedAnswerJSON(messageID: key)) }
        for timing in timings { print(timing.line) }
        await printAsyncStages(timer: timer, buffer: buffer)
    }

    /// The body timeout as it was (a task group racing the read with a sleeping task) against a
    /// plain await of the same, already-available, body.
    private func printAsyncStages(timer: StageTimer, buffer: ByteBuffer) async {
        let direct = await timer.nanoseconds { _ = await Self.available(buffer) }
        let raced = await timer.nanoseconds {
            _ = await withTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { await Self.available(buffer) }
                group.addTask {
                    try? await Task.sleep(for: .seconds(10))
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
        let unstructured = await timer.nanoseconds {
            let reader = Task { await Self.available(buffer) }
            _ = await reader.value
        }
        print(StageTiming(name: "body_await_direct", nanoseconds: direct).line)
        print(StageTiming(name: "body_await_one_unstructured_task", nanoseconds: unstructured).line)
        print(StageTiming(name: "body_await_task_group_with_sleep_timeout", nanoseconds: raced).line)
    }

    @inline(never)
    private static func available(_ buffer: ByteBuffer) async -> ByteBuffer? { buffer }
}

/// The three fields the receiver reads, for comparing JSONDecoder with JSONSerialization.
private struct EnvelopeFields: Decodable {
    struct Payload: Decodable { var plainToken: String? }
    var event: String?
    var event_ts: Double?
    var payload: Payload?
}

import Foundation
import LookoutCore

/// Times one stage of the request path: the mean wall time per call over many calls, after a warm-up.
struct StageTimer {
    let iterations: Int

    /// Nanoseconds per call of `body`.
    func nanoseconds(_ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<max(1, iterations / 10) { try body() }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations { try body() }
        return (clock.now - start).timeInterval * 1e9 / Double(iterations)
    }

    /// Nanoseconds per call of an async `body`.
    func nanoseconds(_ body: () async throws -> Void) async rethrows -> Double {
        for _ in 0..<max(1, iterations / 10) { try await body() }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<iterations { try await body() }
        return (clock.now - start).timeInterval * 1e9 / Double(iterations)
    }
}

/// A stage and how long it took, as one `key=value` line for ops/bench.
struct StageTiming {
    let name: String
    let nanoseconds: Double

    var line: String { "stage=\(name) us=\(String(format: "%.2f", nanoseconds / 1000))" }
}

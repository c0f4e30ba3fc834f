import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CurlHTTP

@Suite struct CurlTimeoutTests {
    @Test(arguments: [
        (Duration.seconds(10), 10_000),
        (.milliseconds(300), 300),
        (.milliseconds(999), 999),
        (.milliseconds(1500), 1500),
        (.microseconds(1), 1),
        (.nanoseconds(1_000_001), 2),
        (.zero, 1),
        (.milliseconds(-5), 1),
        (.seconds(Int64.max), Int.max),
    ] as [(Duration, Int)])
    func timeoutIsTheWholeDurationInMillisecondsRoundedUp(timeout: Duration, expected: Int) {
        #expect(CurlTransport.curlTimeoutMilliseconds(timeout) == expected, "\(timeout)")
    }
}

/// A TCP port that completes connections (the kernel's backlog) but never answers: what a stuck
/// server looks like to a client. Closing it resets the connections still queued.
private final class SilentListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(fd, 16) == 0, "errno \(errno)")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        try #require(named == 0)
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { _ = Glibc.close(fd) }
}

@Suite struct CurlTransportTests {
    private enum Ending: Equatable { case answered(Int), failed(String), stillWaiting }

    /// A timeout under a second used to become `CURLOPT_TIMEOUT_MS = 0` (whole seconds × 1000),
    /// i.e. no timeout: the request waited on a silent server for ever.
    @Test func aSubSecondTimeoutEndsARequestToASilentServer() async throws {
        let listener = try SilentListener()
        let request = OutboundRequest(url: "http://127.0.0.1:\(listener.port)/hooks/x", body: Array(#"{"text":"hi"}"#.utf8),
                                      timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let (ending, elapsed) = await withTaskGroup(of: (Ending, Duration).self) { group in
            group.addTask {
                do {
                    let response = try await CurlTransport().send(request)
                    return (.answered(response.status), ContinuousClock.now - started)
                } catch {
                    return (.failed("\(error)"), ContinuousClock.now - started)
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(15))
                return (.stillWaiting, ContinuousClock.now - started)
            }
            let first = await group.next()!
            // Resets the queued connection, so a transfer still waiting (the bug) ends too.
            listener.close()
            group.cancelAll()
            return first
        }
        guard case .failed(let message) = ending else {
            Issue.record("expected the transfer to time out, got \(ending) after \(elapsed)")
            return
        }
        #expect(message.lowercased().contains("timeout") || message.lowercased().contains("timed out"), "\(message)")
        #expect(elapsed >= .milliseconds(250), "ended before its timeout: \(elapsed)")
        // Far below the 15 s a transfer without a timeout is given: a fresh-clone CI run, every suite
        // in parallel on 2 cores, took 4.1 s for this 300 ms timeout.
        #expect(elapsed < .seconds(10), "took \(elapsed) for a 300 ms timeout")
    }
}

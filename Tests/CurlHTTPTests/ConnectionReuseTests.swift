import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
@testable import CurlHTTP

/// A keep-alive HTTP/1.1 server on loopback that counts the TCP connections it accepted and
/// answers each request with "METHOD PATH BODY-LENGTH", one thread per connection.
private final class CountingServer: Sendable {
    enum Closing: Sendable { case never, afterEachResponse(announced: Bool) }

    let port: UInt16
    private let fd: Int32
    private let closing: Closing
    /// Connections still open: a descriptor is shut down or closed only under this lock, so a
    /// number the kernel already gave to another test's socket is never touched.
    private let state = Mutex<(accepted: Int, open: Set<Int32>)>((0, []))

    var accepted: Int { state.withLock { $0.accepted } }

    init(closing: Closing = .never) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0 && listen(fd, 64) == 0, "errno \(errno)")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        self.closing = closing
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Ends the accept loop (which closes the listening socket) and every connection still open.
    func stop() {
        _ = shutdown(fd, Int32(SHUT_RDWR))
        state.withLock { state in for connection in state.open { _ = shutdown(connection, Int32(SHUT_RDWR)) } }
    }

    private func acceptLoop() {
        defer { _ = close(fd) }
        while true {
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            state.withLock { $0.accepted += 1; $0.open.insert(connection) }
            Thread.detachNewThread { [self] in serve(connection) }
        }
    }

    private func serve(_ connection: Int32) {
        defer { state.withLock { state in state.open.remove(connection); _ = close(connection) } }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        func fill() -> Bool {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            pending += chunk[..<count]
            return true
        }
        while true {
            var headEnd: Int?
            while headEnd == nil {
                headEnd = (0..<max(0, pending.count - 3)).first { pending[$0..<$0 + 4].elementsEqual("\r\n\r\n".utf8) }
                if headEnd == nil, !fill() { return }
            }
            let head = String(decoding: pending[..<headEnd!], as: UTF8.self)
            pending.removeFirst(headEnd! + 4)
            let lines = head.components(separatedBy: "\r\n")
            let requestLine = lines[0].split(separator: " ")
            let length = lines.dropFirst().compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
            while pending.count < length { if !fill() { return } }
            pending.removeFirst(length)
            let answer = "\(requestLine[0]) \(requestLine[1]) \(length)"
            var response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(answer.utf8.count)\r\n"
            if case .afterEachResponse(announced: true) = closing { response += "Connection: close\r\n" }
            response += "\r\n" + answer
            _ = response.withCString { send(connection, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            if case .afterEachResponse = closing { return }
        }
    }
}

@Suite struct ConnectionReuseTests {
    private func request(_ server: CountingServer, _ i: Int) -> OutboundRequest {
        // Alternating POST and GET: a reused handle must carry nothing of the previous request.
        i.isMultiple(of: 2)
            ? OutboundRequest(url: "http://127.0.0.1:\(server.port)/r/\(i)", body: Array(#"{"text":"hi"}"#.utf8))
            : OutboundRequest(url: "http://127.0.0.1:\(server.port)/r/\(i)", method: "GET")
    }

    private func expected(_ i: Int) -> String { i.isMultiple(of: 2) ? "POST /r/\(i) 13" : "GET /r/\(i) 0" }

    @Test func sequentialRequestsShareOneConnection() async throws {
        let server = try CountingServer()
        defer { server.stop() }
        let transport = CurlTransport(handles: CurlHandlePool(keepIdle: 4))
        for i in 0..<20 {
            let response = try await transport.send(request(server, i))
            #expect(response.status == 200)
            #expect(response.text == expected(i))
        }
        // One connection; a second only if the loaded machine left one idle past the 5 s after
        // which a kept connection is not reused (CURLOPT_MAXAGE_CONN). Without reuse: 20.
        #expect(server.accepted <= 2, "\(server.accepted) connections for 20 requests")
    }

    @Test func withoutIdleHandlesEveryRequestOpensAConnection() async throws {
        let server = try CountingServer()
        defer { server.stop() }
        let pool = CurlHandlePool(keepIdle: 0)
        let transport = CurlTransport(handles: pool)
        for i in 0..<5 { #expect(try await transport.send(request(server, i)).text == expected(i)) }
        #expect(server.accepted == 5)
        #expect(pool.idleCount == 0)
    }

    @Test func concurrentRequestsEachGetTheirOwnAnswer() async throws {
        let server = try CountingServer()
        defer { server.stop() }
        let pool = CurlHandlePool(keepIdle: 16)
        let transport = CurlTransport(handles: pool)
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for j in 0..<10 {
                        let i = task * 100 + j
                        if try await transport.send(request(server, i)).text != expected(i) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
        #expect(server.accepted <= 8, "one connection per handle in use at once, reused after")
        #expect(pool.idleCount <= 8)
    }

    @Test(arguments: [true, false])
    func aConnectionTheServerClosedIsNotReused(announced: Bool) async throws {
        let server = try CountingServer(closing: .afterEachResponse(announced: announced))
        defer { server.stop() }
        let transport = CurlTransport(handles: CurlHandlePool(keepIdle: 4))
        for i in 0..<5 {
            #expect(try await transport.send(request(server, i)).text == expected(i))
            // Lets the server's FIN arrive, as it would between a worker's real requests.
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(server.accepted == 5)
    }
}

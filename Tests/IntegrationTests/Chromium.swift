import Foundation
import LookoutTestSupport
import Synchronization

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON
/// messages ended by a NUL byte, commands on fd 3, answers on fd 4): no debugging port to find,
/// no websocket client, nothing on the network but the page under test.
final class Chromium: @unchecked Sendable {
    /// `LOOKOUT_TEST_CHROMIUM`, else Debian's `chromium` (installed by ops/install).
    static let executable: String? = TestEnvironment.variables["LOOKOUT_TEST_CHROMIUM"]
        ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    struct ProtocolError: Error, CustomStringConvertible {
        let description: String
    }

    let profile: URL
    private let pid: pid_t
    private let commands: Int32
    private let answers: Int32
    private let replies = Mutex<[Int: Data]>([:])
    private let lastID = Mutex(0)

    init(executable: String = Chromium.executable!) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        // Every end close-on-exec and above 4, so the browser gets only what dup2 gives it as 3 and 4
        // (dup2 of a descriptor onto itself would keep close-on-exec).
        func pipeEnds() throws -> (read: Int32, write: Int32) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw ProtocolError(description: "pipe failed") }
            defer { ends.forEach { Glibc.close($0) } }
            return (fcntl(ends[0], F_DUPFD_CLOEXEC, 10), fcntl(ends[1], F_DUPFD_CLOEXEC, 10))
        }
        let toBrowser = try pipeEnds(), fromBrowser = try pipeEnds()
        let (childReads, childWrites) = (toBrowser.read, fromBrowser.write)
        commands = toBrowser.write
        answers = fromBrowser.read

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childReads, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrites, 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, profile.appendingPathComponent("chromium.log").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var arguments = [executable, "--headless", "--remote-debugging-pipe", "--user-data-dir=\(profile.path)",
                         "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-extensions", "--disable-background-networking", "--hide-scrollbars", "about:blank"]
        // The sandbox refuses to run as root (CI containers); the page loaded is our own.
        if geteuid() == 0 { arguments.insert("--no-sandbox", at: 1) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        Glibc.close(childReads)
        Glibc.close(childWrites)
        guard status == 0 else { throw ProtocolError(description: "cannot start \(executable): errno \(status)") }
        self.pid = pid
        let thread = Thread { [self] in readAnswers() }
        thread.start()
    }

    /// Collects answers by id until the browser closes its end.
    private func readAnswers() {
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(answers, &buffer, buffer.count)
            guard count > 0 else { return }
            pending.append(contentsOf: buffer[0..<count])
            while let end = pending.firstIndex(of: 0) {
                let message = pending[pending.startIndex..<end]
                pending = Data(pending[(end + 1)...])
                if let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any], let id = object["id"] as? Int {
                    replies.withLock { $0[id] = Data(message) }
                }
            }
        }
    }

    /// Sends a command and returns its `result`.
    @discardableResult
    func send(_ method: String, _ parameters: [String: Any] = [:], session: String? = nil,
              timeout: Duration = .seconds(30)) async throws -> [String: Any] {
        let id = lastID.withLock { $0 += 1; return $0 }
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if let session { message["sessionId"] = session }
        let bytes = Array(try JSONSerialization.data(withJSONObject: message)) + [0]
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            guard count > 0 else { throw ProtocolError(description: "\(method): the browser is gone (see \(profile.path)/chromium.log)") }
            written += count
        }
        var reply: Data?
        try await eventually("the browser answers \(method)", timeout: timeout) {
            reply = replies.withLock { $0.removeValue(forKey: id) }
            return reply != nil
        }
        let object = try JSONSerialization.jsonObject(with: reply ?? Data()) as? [String: Any] ?? [:]
        if let error = object["error"] { throw ProtocolError(description: "\(method): \(error)") }
        return object["result"] as? [String: Any] ?? [:]
    }

    /// A new tab of `width`×`height` CSS pixels, attached; returns its session.
    func open(_ url: String, width: Int, height: Int, mobile: Bool = false) async throws -> String {
        let target = try await send("Target.createTarget", ["url": "about:blank"])["targetId"] as? String ?? ""
        let session = try await send("Target.attachToTarget", ["targetId": target, "flatten": true])["sessionId"] as? String ?? ""
        try await send("Emulation.setDeviceMetricsOverride",
                       ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile], session: session)
        try await send("Page.navigate", ["url": url], session: session)
        return session
    }

    /// Closes a tab, and with it its live stream: Chromium opens at most six connections to one
    /// host, so tabs left open would make the next page wait for one.
    func closeTab(_ session: String) async {
        _ = try? await send("Page.close", session: session, timeout: .seconds(5))
    }

    /// Headers sent with every request of the tab from now on (the full view's token).
    func setHeaders(_ headers: [String: String], session: String) async throws {
        try await send("Network.enable", session: session)
        try await send("Network.setExtraHTTPHeaders", ["headers": headers], session: session)
    }

    /// Goes to `url` and waits until that page has loaded.
    func navigate(_ url: String, session: String) async throws {
        try await send("Page.navigate", ["url": url], session: session)
        try await waitForPage(session: session) { $0 == url }
    }

    /// Waits until the tab shows a loaded page whose address satisfies `wanted`.
    func waitForPage(session: String, timeout: Duration = .seconds(30), _ wanted: (String) -> Bool) async throws {
        try await eventually("the tab shows a loaded page", timeout: timeout, every: .milliseconds(50)) {
            guard let state = try await evaluate("[location.href, document.readyState].join(' ')", session: session) as? String else { return false }
            let parts = state.split(separator: " ")
            return parts.count == 2 && parts[1] == "complete" && wanted(String(parts[0]))
        }
    }

    /// JSON a page script returns (as a string), decoded.
    func json<T: Decodable>(_ expression: String, as type: T.Type, session: String) async throws -> T {
        let text = try await evaluate("JSON.stringify(\(expression))", session: session) as? String ?? "null"
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    func evaluate(_ expression: String, session: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true],
                                    session: session)
        if let exception = result["exceptionDetails"] { throw ProtocolError(description: "\(expression): \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// A PNG of the whole page (not only the window), or of its first `maxHeight` pixels.
    func screenshot(session: String, width: Int, mobile: Bool = false, maxHeight: Int = .max, to file: URL) async throws {
        let height = min(maxHeight, try await evaluate("document.documentElement.scrollHeight", session: session) as? Int ?? 800)
        try await send("Emulation.setDeviceMetricsOverride",
                       ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile], session: session)
        let data = try await send("Page.captureScreenshot", ["format": "png"], session: session)["data"] as? String ?? ""
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard let png = Data(base64Encoded: data), png.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw ProtocolError(description: "Page.captureScreenshot gave no PNG")
        }
        try png.write(to: file)
    }

    func close() async {
        _ = try? await send("Browser.close", timeout: .seconds(5))
        let deadline = ContinuousClock.now + .seconds(10)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if ContinuousClock.now > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        Glibc.close(commands)
        Glibc.close(answers)
        try? FileManager.default.removeItem(at: profile)
    }
}

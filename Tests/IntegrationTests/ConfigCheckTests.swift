import Foundation
import Testing

/// `lookout config check` as an operator runs it: the real binary, a controlled environment.
@Suite struct ConfigCheckTests {
    struct Run { let status: Int32; let output: String }

    func check(_ arguments: [String], environment: [String: String]) throws -> Run {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lookout")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["config", "check"] + arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    func temporaryFile(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-config-\(UUID().uuidString).env")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func aValidConfigurationPassesAndShowsNoSecret() throws {
        let file = try temporaryFile("LOOKOUT_AMQP_URL=amqp://lookout:amqp-pass-1@rabbit:5672/\nLOOKOUT_WEB_TITLE='Physics'\n")
        let run = try check([], environment: [
            "LOOKOUT_CONFIG_FILE": file, "LOOKOUT_ZOOM_SECRET_TOKEN": "zoom-secret-1,zoom-secret-2",
            "LOOKOUT_WEB_TOKEN": "web-token-0123456789", "LOOKOUT_HTTP_PORT": "9090",
        ])
        #expect(run.status == 0, "\(run.output)")
        for secret in ["amqp-pass-1", "zoom-secret-1", "zoom-secret-2", "web-token-0123456789"] {
            #expect(!run.output.contains(secret))
        }
        #expect(run.output.contains("amqp://lookout:****@rabbit:5672/  [file]"))
        #expect(run.output.contains("(hidden, 2 values)  [env]"))
        #expect(run.output.contains(/\n  LOOKOUT_HTTP_PORT +9090  \[env\]\n/))
        #expect(run.output.contains("Physics  [file]"))
        #expect(run.output.contains("[web]") && !run.output.contains("[notify]"))
    }

    @Test func everyProblemIsNamedAndTheStatusIs78() throws {
        let run = try check(["receive", "store", "notify"], environment: [
            "LOOKOUT_ZOOM_SECRET_TOKEN": "s", "LOOKOUT_STORE_BATCH": "lots",
            "LOOKOUT_NOTIFY_RULES": "/nonexistent/rules.json", "LOOKOUT_NOTFY_WINDOW_MS": "100",
        ])
        #expect(run.status == 78)
        #expect(run.output.contains(#"LOOKOUT_STORE_BATCH: expected a whole number in 1...10000, got "lots""#))
        #expect(run.output.contains("LOOKOUT_NOTIFY_RULES: cannot read /nonexistent/rules.json"))
        #expect(run.output.contains("LOOKOUT_NOTFY_WINDOW_MS is not a Lookout key (did you mean LOOKOUT_NOTIFY_WINDOW_MS?)"))
        #expect(run.output.contains("3 problems found"))
    }

    @Test func aHookVariableTheRulesReadIsNotAnUnknownKey() throws {
        let rules = try temporaryFile(#"{"hooks": {"chat": {"url_env": "LOOKOUT_CHAT_HOOK_URL"}}, "unmatched": {"hooks": ["chat"]}}"#)
        let environment = ["LOOKOUT_NOTIFY_RULES": rules, "LOOKOUT_CHAT_HOOK_URL": "https://chat.example.edu/hooks/hook-secret-1"]
        let run = try check(["notify"], environment: environment)
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("hook-secret-1"))
        #expect(!run.output.contains("[unknown keys]"))
        let withoutNotify = try check(["store"], environment: environment)
        #expect(withoutNotify.status == 78, "not read by anything checked: unknown")
        #expect(withoutNotify.output.contains("LOOKOUT_CHAT_HOOK_URL is not a Lookout key"))
    }

    @Test func aBadFileStopsEveryCommandWithItsLine() throws {
        let file = try temporaryFile("LOOKOUT_HTTP_PORT=1\nHTTP_PORT=2\n")
        let run = try check([], environment: ["LOOKOUT_CONFIG_FILE": file])
        #expect(run.status == 78)
        #expect(run.output.contains("configuration LOOKOUT_CONFIG_FILE: \(file) line 2: \"HTTP_PORT\" is not a LOOKOUT_* key"))
    }

    @Test func aBadLogLevelIsAnErrorNotSilence() throws {
        let run = try check(["store"], environment: ["LOOKOUT_LOG_LEVEL": "verbose"])
        #expect(run.status == 78)
        #expect(run.output.contains("LOOKOUT_LOG_LEVEL: expected one of trace, debug, info, notice, warning, error, critical, got \"verbose\""))
    }
}

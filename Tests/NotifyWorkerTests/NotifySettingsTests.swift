import Foundation
import LookoutCore
import Notifier
import CurlHTTP
import Testing
import ZoomModel
@testable import NotifyWorker

@Suite struct NotifySettingsTests {
    func rulesFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    let valid = #"{"hooks": {"chat": {"url_env": "CHAT_HOOK"}}, "unmatched": {"hooks": ["chat"]}}"#

    func settings(_ environment: [String: String]) throws(ConfigurationError) -> NotifySettings {
        try NotifySettings(configuration: Configuration(environment: environment))
    }

    @Test func defaultsAndTheNotifyQueue() throws {
        let settings = try settings(["LOOKOUT_NOTIFY_RULES": try rulesFile(valid), "CHAT_HOOK": "https://chat.example.edu/hooks/abc"])
        #expect(settings.events == NotifySettings.defaultEvents)
        #expect(settings.worker.outbox.window == .seconds(3))
        #expect(settings.pseudonyms == nil)
        let queue = settings.workQueue(in: QueueLayout())
        #expect(queue.name == "lookout.notify")
        #expect(queue.singleActiveConsumer)
        #expect(queue.bindings.contains("lookout.incident.#"))
        #expect(queue.retryDelays.first == .seconds(2) && queue.retryDelays.last == .seconds(600))
    }

    @Test func narrowedEventsRetireTheOtherDefaults() throws {
        let settings = try settings(["LOOKOUT_NOTIFY_RULES": try rulesFile(valid), "CHAT_HOOK": "https://x/hooks/abc",
                                     "LOOKOUT_NOTIFY_EVENTS": "meeting.participant_left, lookout.incident.#"])
        let queue = settings.workQueue(in: QueueLayout())
        #expect(queue.bindings == ["meeting.participant_left", "lookout.incident.#"])
        #expect(queue.retiredBindings.contains("meeting.participant_joined"))
    }

    @Test func everyProblemNamesItsKey() throws {
        let path = try rulesFile(valid)
        let cases: [([String: String], String, String)] = [
            ([:], "LOOKOUT_NOTIFY_RULES", "required"),
            (["LOOKOUT_NOTIFY_RULES": "/no/such/file"], "LOOKOUT_NOTIFY_RULES", "cannot read /no/such/file"),
            (["LOOKOUT_NOTIFY_RULES": path], "LOOKOUT_NOTIFY_RULES", "hooks.chat.url_env: environment variable CHAT_HOOK is not set"),
            (["LOOKOUT_NOTIFY_RULES": path, "CHAT_HOOK": "https://x/1", "LOOKOUT_NOTIFY_WINDOW_MS": "soon"], "LOOKOUT_NOTIFY_WINDOW_MS", "whole number"),
            (["LOOKOUT_NOTIFY_RULES": path, "CHAT_HOOK": "https://x/1", "LOOKOUT_NOTIFY_TIME_ZONE": "Moon/Base"], "LOOKOUT_NOTIFY_TIME_ZONE", "IANA time zone"),
            (["LOOKOUT_NOTIFY_RULES": path, "CHAT_HOOK": "https://x/1", "LOOKOUT_PSEUDONYM_KEY": "short"], "LOOKOUT_PSEUDONYM_KEY", "16 characters"),
            (["LOOKOUT_NOTIFY_RULES": path, "CHAT_HOOK": "https://x/1", "LOOKOUT_NOTIFY_PSEUDONYM_KEY": "short"], "LOOKOUT_NOTIFY_PSEUDONYM_KEY", "16 characters"),
            (["LOOKOUT_NOTIFY_RULES": path, "CHAT_HOOK": "https://x/1", "LOOKOUT_PSEUDONYM_KEY": "a key of sixteen or more",
              "LOOKOUT_PSEUDONYM_KEY_FILE": "/run/secrets/key"], "LOOKOUT_PSEUDONYM_KEY", "not both"),
            (["LOOKOUT_NOTIFY_RULES": path, "CHAT_HOOK": "https://x/1", "LOOKOUT_NOTIFY_EVENTS": " , "], "LOOKOUT_NOTIFY_EVENTS", "at least one"),
            (["LOOKOUT_NOTIFY_RULES": path, "CHAT_HOOK": "https://x/1", "LOOKOUT_NOTIFY_RETRY_INITIAL_MS": "5000", "LOOKOUT_NOTIFY_RETRY_MAX_MS": "2000"],
             "LOOKOUT_NOTIFY_RETRY_MAX_MS", "must not be below"),
        ]
        for (environment, key, problem) in cases {
            #expect {
                _ = try settings(environment)
            } throws: { error in
                guard let error = error as? ConfigurationError else { return false }
                return error.key == key && error.problem.contains(problem)
            }
        }
    }
}

@Suite struct PseudonymKeyTests {
    let key = "a key of sixteen or more bytes"

    func settings(_ extra: [String: String]) throws -> NotifySettings {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).json").path
        try #"{"hooks": {"chat": {"url": "https://x/hooks/1"}}, "unmatched": {"hooks": ["chat"], "privacy": "pseudonymize"}}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        return try NotifySettings(configuration: Configuration(environment: extra.merging(["LOOKOUT_NOTIFY_RULES": path]) { $1 }))
    }

    @Test func theSharedKeyIsTheOneTheDashboardAndExportsUse() throws {
        let settings = try settings(["LOOKOUT_PSEUDONYM_KEY": key])
        #expect(settings.pseudonyms == Pseudonyms(key: Array(key.utf8)))
        #expect(PseudonymKey.warning(Configuration(environment: ["LOOKOUT_PSEUDONYM_KEY": key])) == nil)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        try (key + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try self.settings(["LOOKOUT_PSEUDONYM_KEY_FILE": file]).pseudonyms == Pseudonyms(key: Array(key.utf8)))
    }

    @Test func theOldNotifierKeyStillWorksWithAWarning() throws {
        let settings = try settings(["LOOKOUT_NOTIFY_PSEUDONYM_KEY": key])
        #expect(settings.pseudonyms == Pseudonyms(key: Array(key.utf8)))
        #expect(PseudonymKey.warning(Configuration(environment: ["LOOKOUT_NOTIFY_PSEUDONYM_KEY": key]))?.hasPrefix("LOOKOUT_NOTIFY_PSEUDONYM_KEY (or _FILE) is deprecated: set LOOKOUT_PSEUDONYM_KEY") == true)
    }

    @Test func withBothTheSharedKeyWinsAndTheOldOneIsNamedAsIgnored() throws {
        let settings = try settings(["LOOKOUT_PSEUDONYM_KEY": key, "LOOKOUT_NOTIFY_PSEUDONYM_KEY": "another key, also long enough"])
        #expect(settings.pseudonyms == Pseudonyms(key: Array(key.utf8)))
        #expect(PseudonymKey.warning(Configuration(environment: ["LOOKOUT_PSEUDONYM_KEY": key, "LOOKOUT_NOTIFY_PSEUDONYM_KEY": "another key, also long enough"]))
                == "LOOKOUT_NOTIFY_PSEUDONYM_KEY (or _FILE) is deprecated and ignored: LOOKOUT_PSEUDONYM_KEY is set")
    }

    @Test func aPseudonymizingRouteWithoutAnyKeyNamesTheSharedOne() {
        #expect {
            _ = try settings([:])
        } throws: { error in
            "\(error)".contains("needs a key: set LOOKOUT_PSEUDONYM_KEY (or _FILE)")
        }
    }
}

@Suite struct CurlMattermostWebhooksTests {
    struct Scripted: HTTPTransport {
        let result: Result<OutboundResponse, TransportError>
        func send(_ request: OutboundRequest) async throws(TransportError) -> OutboundResponse { try result.get() }
    }

    let hook = Hook(name: "chat", url: WebhookURL("https://chat.example.edu/hooks/s3cr3t"))

    @Test func aNetworkErrorIsRetriedAndDoesNotLeakTheHookURL() async {
        let webhooks = CurlMattermostWebhooks(transport: Scripted(result: .failure(TransportError(message: "POST https://chat.example.edu/hooks/s3cr3t: Couldn't connect to server"))))
        let outcome = await webhooks.post(MattermostPost(attachments: []), to: hook)
        #expect(outcome == .failed("POST https://chat.example.edu/hooks/***: Couldn't connect to server"))
    }

    @Test func retryAfterIsReadFromTheResponseHeaders() async {
        let response = OutboundResponse(status: 429, headers: [("Retry-After", "7"), ("X-RateLimit-Limit", "10")], body: Array("limit exceeded".utf8))
        let outcome = await CurlMattermostWebhooks(transport: Scripted(result: .success(response))).post(MattermostPost(attachments: []), to: hook)
        #expect(outcome == .rateLimited(retryAfter: .seconds(7)))
    }
}

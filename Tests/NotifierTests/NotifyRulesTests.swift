import Foundation
import Testing
@testable import Notifier
import ZoomModel

@Suite struct NotifyRulesTests {
    func context(variables: [String: String] = ["BIOLOGY_HOOK": "https://chat.example.edu/hooks/biology-secret"],
                 files: [String: String] = ["/run/secrets/ops": "https://chat.example.edu/hooks/ops-secret\n"],
                 pseudonyms: Bool = true) -> NotifyRules.Context {
        NotifyRules.Context(variable: { variables[$0] }, readFile: { files[$0] },
                            timeZone: TimeZone(identifier: "UTC")!, maxNames: 10, hasPseudonymKey: pseudonyms)
    }

    func parse(_ json: String, _ context: NotifyRules.Context? = nil) throws(RulesError) -> NotifyRules {
        try NotifyRules.parse(Array(json.utf8), context: context ?? self.context())
    }

    let sample = """
    {
      "hooks": {
        "biology": {"url_env": "BIOLOGY_HOOK", "rate_per_second": 0.5, "burst": 3},
        "ops": {"url_file": "/run/secrets/ops"},
        "seed": {"url": "https://chat.example.edu/hooks/seed-secret"}
      },
      "routes": [
        {"name": "biology", "meetings": {"topics": ["Biology *"], "ids": [85012345678]}, "hooks": ["biology"],
         "channel": "biology-101", "time_zone": "Europe/Paris", "join_url": "https://zoom.us/j/85012345678"},
        {"name": "seed-owner", "meetings": {"hosts": ["z8yCxjabcdefghijk"]}, "hooks": ["seed"],
         "privacy": {"only": ["Jill Chill"]}, "kinds": ["joined", "left", "disconnected"]},
        {"name": "campus", "meetings": {"topics": ["*"]}, "hooks": ["ops", "ops"], "privacy": "pseudonymize",
         "kinds": ["moved", "reconnected", "disconnected"], "moves": "skip"}
      ],
      "unmatched": {"hooks": ["ops"], "channel": "zoom-other"}
    }
    """

    @Test func theSampleReadsWhole() throws {
        let rules = try parse(sample)
        #expect(rules.hooks["biology"]?.url.value == "https://chat.example.edu/hooks/biology-secret")
        #expect(rules.hooks["biology"]?.ratePerSecond == 0.5)
        #expect(rules.hooks["biology"]?.burst == 3)
        #expect(rules.hooks["ops"]?.url.value == "https://chat.example.edu/hooks/ops-secret")
        #expect(rules.hooks["seed"]?.ratePerSecond == 1)
        #expect(rules.routes.map(\.name) == ["biology", "seed-owner", "campus"])
        #expect(rules.routes[0].channel == "biology-101")
        #expect(rules.routes[0].style.localTime.timeZone.identifier == "Europe/Paris")
        #expect(rules.routes[0].style.joinURL == "https://zoom.us/j/85012345678")
        #expect(rules.routes[1].privacy == .only(["jill chill"]))
        #expect(rules.routes[1].kinds == [.joined, .left, .disconnected])
        #expect(rules.routes[2].hooks == ["ops"])
        #expect(rules.routes[2].privacy == .pseudonymized)
        #expect(rules.routes[2].kinds == [.moved, .reconnected, .disconnected])
        #expect(rules.routes[0].moves == .post)
        #expect(rules.routes[2].moves == .skip)
        #expect(!rules.routes[2].posts(.moved) && rules.routes[2].posts(.reconnected))
        #expect(rules.unmatched?.channel == "zoom-other")
    }

    @Test func everyMatchingRouteTakesTheMeetingAndTheRestGoesToUnmatched() throws {
        let rules = try parse(sample)
        let biology = try Fixture.event("participant_joined").meeting
        #expect(rules.routes(for: biology).map(\.name) == ["biology", "seed-owner", "campus"])
        var other = biology
        other.id = "999"
        other.topic = "Chemistry"
        other.hostID = "someone"
        #expect(rules.routes(for: other).map(\.name) == ["campus"])
        let noCampus = NotifyRules(hooks: rules.hooks, routes: Array(rules.routes.prefix(2)), unmatched: rules.unmatched)
        #expect(noCampus.routes(for: other).map(\.name) == ["unmatched"])
        let dropping = NotifyRules(hooks: rules.hooks, routes: Array(rules.routes.prefix(2)), unmatched: nil)
        #expect(dropping.routes(for: other).isEmpty)
    }

    @Test func meetingFiltersAreAllOfTheirConditions() {
        let meeting = ZoomEvent.Meeting(id: "85012345678", hostID: "h1", topic: "Biology 101 — Lecture")
        #expect(MeetingFilter(ids: ["850 1234 5678"]).matches(meeting))
        #expect(MeetingFilter(topics: ["biology*"]).matches(meeting))
        #expect(MeetingFilter(topics: ["Chem*", "*lecture"]).matches(meeting))
        #expect(!MeetingFilter(topics: ["Biology"]).matches(meeting))
        #expect(MeetingFilter(topics: ["Biology 1?1*"]).matches(meeting))
        #expect(!MeetingFilter(ids: ["85012345678"], hostIDs: ["h2"]).matches(meeting))
        #expect(MeetingFilter().matches(meeting))
    }

    @Test(arguments: [
        (#"{"hooks": {"a": {"url": "https://x/hooks/1"}}, "routes": [{"name": "r", "hooks": ["b"]}]}"#,
         "routes[0].hooks[0]", "unknown hook \"b\" (known: a)"),
        (#"{"hooks": {"a": {"url": "ftp://x/hooks/1"}}, "unmatched": "drop"}"#, "hooks.a.url", "not an http(s) URL"),
        (#"{"hooks": {"a": {"url": "https://x/1", "url_env": "A"}}}"#, "hooks.a", "give exactly one of url, url_env, url_file"),
        (#"{"hooks": {"a": {"url_env": "MISSING"}}}"#, "hooks.a.url_env", "environment variable MISSING is not set"),
        (#"{"hooks": {"a": {"url_file": "/nope"}}}"#, "hooks.a.url_file", "cannot read /nope"),
        (#"{"hooks": {"a": {"url": "https://x/1", "burst": 0}}}"#, "hooks.a.burst", "expected a whole number in 1...1000"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "routes": [{"name": "r", "hooks": ["a"], "chanel": "x"}]}"#,
         "routes[0].chanel", "unknown field"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "routes": [{"name": "r", "hooks": ["a"], "kinds": ["joins"]}]}"#,
         "routes[0].kinds[0]", "unknown kind"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "routes": [{"name": "r", "hooks": ["a"], "time_zone": "Mars/Base"}]}"#,
         "routes[0].time_zone", "unknown time zone"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "routes": [{"name": "r", "hooks": ["a"]}, {"name": "r", "hooks": ["a"]}]}"#,
         "routes[1].name", "\"r\" is used twice"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "routes": [{"name": "r/x", "hooks": ["a"]}]}"#, "routes[0].name", "use letters"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "routes": [{"name": "r", "hooks": ["a"], "privacy": {"only": []}}]}"#,
         "routes[0].privacy", "\"only\" needs at least one name or email"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "unmatched": "keep"}"#, "unmatched", "expected \"drop\""),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "unmatched": {"hooks": ["a"], "moves": "hide"}}"#, "unmatched.moves", "expected \"post\""),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "routes": [{"name": "r", "hooks": ["a"], "meetings": {"topic_patterns": ["^B"]}}]}"#,
         "routes[0].meetings.topic_patterns", "unknown field"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}}"#, "routes", "nothing would ever be posted"),
        (#"{"routes": []}"#, "hooks", "required"),
        (#"{"hooks": {"a": {"url": "https://x/1"}}, "unmatched": "drop", "extra": 1}"#, "extra", "unknown field"),
        ("not json", "", "not valid JSON"),
    ])
    func aBadFileIsRefusedNamingTheField(json: String, path: String, problem: String) {
        #expect {
            _ = try parse(json)
        } throws: { error in
            guard let error = error as? RulesError else { return false }
            return error.path == path && error.problem.contains(problem)
        }
    }

    @Test func pseudonymizingNeedsAKey() {
        let json = #"{"hooks": {"a": {"url": "https://x/1"}}, "unmatched": {"hooks": ["a"], "privacy": "pseudonymize"}}"#
        #expect(throws: RulesError(path: "unmatched.privacy", problem: "needs a key: set LOOKOUT_PSEUDONYM_KEY (or _FILE)")) {
            _ = try parse(json, context(pseudonyms: false))
        }
    }

    @Test func hookURLsPrintMasked() {
        let url = WebhookURL("https://chat.example.edu:8065/hooks/xyzsecret123")
        #expect("\(url)" == "https://chat.example.edu:8065/hooks/***")
        #expect(String(reflecting: url) == "https://chat.example.edu:8065/hooks/***")
        #expect(!String(describing: Hook(name: "h", url: url)).contains("xyzsecret123"))
    }

    @Test func targetsRoundTripThroughTheirHeader() {
        let targets = [NotifyTarget(route: "ops", hook: "alerts"), NotifyTarget(route: "biology", hook: "chat")]
        let header = NotifyTarget.header(targets)
        #expect(header == "biology/chat,ops/alerts")
        #expect(Set(NotifyTarget.parse(header: header)) == Set(targets))
        #expect(NotifyTarget.parse(header: "broken,,a/b/c,x/y").map(\.description) == ["x/y"])
    }
}

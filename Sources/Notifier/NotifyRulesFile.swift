import Foundation
import ZoomModel

extension NotifyRules {
    /// What reading the rules file needs from outside: where hook URLs referenced by name live,
    /// and the defaults routes inherit.
    public struct Context: Sendable {
        /// Looks up an environment variable (for `url_env`).
        public var variable: @Sendable (String) -> String?
        public var readFile: @Sendable (String) -> String?
        public var timeZone: TimeZone
        public var maxNames: Int
        /// Whether a pseudonym key is configured (a route that pseudonymizes needs one).
        public var hasPseudonymKey: Bool

        public init(variable: @escaping @Sendable (String) -> String?, readFile: @escaping @Sendable (String) -> String?,
                    timeZone: TimeZone, maxNames: Int, hasPseudonymKey: Bool) {
            self.variable = variable
            self.readFile = readFile
            self.timeZone = timeZone
            self.maxNames = maxNames
            self.hasPseudonymKey = hasPseudonymKey
        }
    }

    /// Reads and checks a whole rules file; the first problem found is thrown, naming its field.
    public static func parse(_ data: [UInt8], context: Context) throws(RulesError) -> NotifyRules {
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: Data(data)) } catch {
            throw RulesError(path: "", problem: "not valid JSON")
        }
        let top = try RulesNode(value: value, path: "").object(keys: ["hooks", "routes", "unmatched"])
        guard let hookNodes = top["hooks"] else { throw RulesError(path: "hooks", problem: "required: the Mattermost webhooks to post to") }
        var hooks: [String: Hook] = [:]
        for (name, node) in try hookNodes.members() { hooks[name] = try hook(name, node, context) }
        guard !hooks.isEmpty else { throw hookNodes.problem("name at least one hook") }

        var routes: [Route] = []
        for node in try top["routes"]?.array() ?? [] {
            let route = try route(node, hooks: hooks, context: context, isUnmatched: false)
            if routes.contains(where: { $0.name == route.name }) { throw RulesError(path: "\(node.path).name", problem: "\"\(route.name)\" is used twice") }
            routes.append(route)
        }
        var unmatched: Route?
        if let node = top["unmatched"] {
            if case .string("drop") = node.value {
                unmatched = nil
            } else if case .object = node.value {
                unmatched = try route(node, hooks: hooks, context: context, isUnmatched: true)
            } else {
                throw node.problem("expected \"drop\" or a route without \"name\" and \"meetings\"")
            }
        }
        guard !routes.isEmpty || unmatched != nil else {
            throw RulesError(path: "routes", problem: "no routes and no \"unmatched\" route: nothing would ever be posted")
        }
        return NotifyRules(hooks: hooks, routes: routes, unmatched: unmatched)
    }

    private static func hook(_ name: String, _ node: RulesNode, _ context: Context) throws(RulesError) -> Hook {
        guard isName(name) else { throw node.problem("a hook name may use letters, digits, '.', '_' and '-' only") }
        let fields = try node.object(keys: ["url", "url_env", "url_file", "rate_per_second", "burst"])
        let given = ["url", "url_env", "url_file"].filter { fields[$0] != nil }
        guard given.count == 1, let source = given.first, let sourceNode = fields[source] else {
            throw node.problem("give exactly one of url, url_env, url_file")
        }
        var text: String
        switch source {
        case "url_env":
            let variable = try sourceNode.string()
            guard let value = context.variable(variable), !value.isEmpty else {
                throw sourceNode.problem("environment variable \(variable) is not set")
            }
            text = value
        case "url_file":
            let path = try sourceNode.string()
            guard let value = context.readFile(path) else { throw sourceNode.problem("cannot read \(path)") }
            text = value
        default:
            text = try sourceNode.string()
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URLComponents(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw sourceNode.problem("not an http(s) URL")
        }
        return Hook(name: name, url: WebhookURL(text),
                    ratePerSecond: try fields["rate_per_second"]?.number(in: 0.01...100) ?? 1,
                    burst: try fields["burst"]?.integer(in: 1...1000) ?? 5)
    }

    private static func route(_ node: RulesNode, hooks: [String: Hook], context: Context, isUnmatched: Bool) throws(RulesError) -> Route {
        var keys: Set<String> = ["hooks", "channel", "username", "icon_url", "icon_emoji", "kinds", "moves", "privacy", "time_zone", "join_url", "max_names"]
        if !isUnmatched { keys.formUnion(["name", "meetings"]) }
        let fields = try node.object(keys: keys)
        let name: String
        if isUnmatched {
            name = "unmatched"
        } else {
            guard let nameNode = fields["name"] else { throw node.problem("\"name\" is required") }
            name = try nameNode.string()
            guard isName(name), name != "unmatched" else {
                throw nameNode.problem("use letters, digits, '.', '_' and '-' (and not \"unmatched\")")
            }
        }
        guard let hooksNode = fields["hooks"] else { throw node.problem("\"hooks\" is required") }
        var routeHooks: [String] = []
        for item in try hooksNode.array() {
            let hook = try item.string()
            guard hooks[hook] != nil else { throw item.problem("unknown hook \"\(hook)\" (known: \(hooks.keys.sorted().joined(separator: ", ")))") }
            if !routeHooks.contains(hook) { routeHooks.append(hook) }
        }
        guard !routeHooks.isEmpty else { throw hooksNode.problem("name at least one hook") }

        var style = NoticeStyle(localTime: LocalTime(timeZone: context.timeZone), maxNames: context.maxNames)
        if let zone = fields["time_zone"] {
            guard let timeZone = TimeZone(identifier: try zone.string()) else { throw zone.problem("unknown time zone (use an IANA name such as Europe/Paris)") }
            style.localTime = LocalTime(timeZone: timeZone)
        }
        if let maxNames = fields["max_names"] { style.maxNames = try maxNames.integer(in: 1...100) }
        if let link = fields["join_url"] { style.joinURL = try httpURL(link) }
        return Route(name: name, meetings: try meetings(fields["meetings"]), hooks: routeHooks,
                     channel: try fields["channel"]?.string(), username: try fields["username"]?.string(),
                     iconURL: try fields["icon_url"].map { node throws(RulesError) in try httpURL(node) },
                     iconEmoji: try fields["icon_emoji"]?.string(),
                     kinds: try kinds(fields["kinds"]), moves: try moves(fields["moves"]),
                     privacy: try privacy(fields["privacy"], context), style: style)
    }

    private static func meetings(_ node: RulesNode?) throws(RulesError) -> MeetingFilter {
        guard let node else { return MeetingFilter() }
        let fields = try node.object(keys: ["ids", "topics", "hosts"])
        var ids: Set<String> = []
        for item in try fields["ids"]?.array() ?? [] { ids.insert(try item.identifier()) }
        return MeetingFilter(ids: ids, topics: try fields["topics"]?.strings() ?? [], hostIDs: Set(try fields["hosts"]?.strings() ?? []))
    }

    private static func kinds(_ node: RulesNode?) throws(RulesError) -> Set<NoticeKind>? {
        guard let node else { return nil }
        var kinds: Set<NoticeKind> = []
        for item in try node.array() {
            guard let kind = NoticeKind(rawValue: try item.string()) else {
                throw item.problem("unknown kind (known: \(NoticeKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    private static func moves(_ node: RulesNode?) throws(RulesError) -> MovePolicy {
        guard let node else { return .post }
        guard case .string(let text) = node.value, let policy = MovePolicy(rawValue: text) else {
            throw node.problem("expected \"post\" (one \"moved\" notice) or \"skip\" (nothing for a room move)")
        }
        return policy
    }

    private static func privacy(_ node: RulesNode?, _ context: Context) throws(RulesError) -> Privacy {
        guard let node else { return .everyone }
        switch node.value {
        case .string("everyone"):
            return .everyone
        case .string("pseudonymize"):
            guard context.hasPseudonymKey else { throw node.problem("needs a key: set LOOKOUT_PSEUDONYM_KEY (or _FILE)") }
            return .pseudonymized
        case .object:
            let fields = try node.object(keys: ["only"])
            guard let people = try fields["only"]?.strings(), !people.isEmpty else { throw node.problem("\"only\" needs at least one name or email") }
            return .only(listing: people)
        default:
            throw node.problem("expected \"everyone\", \"pseudonymize\" or {\"only\": [names or emails]}")
        }
    }

    private static func httpURL(_ node: RulesNode) throws(RulesError) -> String {
        let text = try node.string()
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else { throw node.problem("expected an http(s) URL") }
        return text
    }

    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}

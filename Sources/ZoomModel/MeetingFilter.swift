/// Which meetings something covers — the meetings the projections track, the meetings a
/// Mattermost route posts about. One language everywhere: every condition given must hold (an
/// empty filter matches all); within a list, any entry may match.
public struct MeetingFilter: Sendable, Equatable {
    /// Meeting ids, digits only ("850 1234 5678" as Zoom shows it is read without the spaces).
    public var ids: Set<String>
    /// Topic patterns: `*` any run of characters, `?` one; case-insensitive, over the whole topic.
    public var topics: [String]
    public var hostIDs: Set<String>

    public init(ids: some Sequence<String> = [String](), topics: [String] = [], hostIDs: some Sequence<String> = [String]()) {
        self.ids = Set(ids.map(Self.normalized))
        self.topics = topics
        self.hostIDs = Set(hostIDs)
    }

    public var matchesEverything: Bool { ids.isEmpty && topics.isEmpty && hostIDs.isEmpty }

    public func matches(meetingID: String, topic: String?, hostID: String?) -> Bool {
        (ids.isEmpty || ids.contains(Self.normalized(meetingID)))
            && (hostIDs.isEmpty || hostID.map(hostIDs.contains) == true)
            && (topics.isEmpty || topics.contains { Glob.matches($0, topic ?? "") })
    }

    public func matches(_ meeting: ZoomEvent.Meeting) -> Bool {
        matches(meetingID: meeting.id, topic: meeting.topic, hostID: meeting.hostID)
    }

    static func normalized(_ id: String) -> String { id.filter { !$0.isWhitespace } }
}

extension MeetingFilter: Codable {
    enum CodingKeys: String, CodingKey { case ids, topics, hosts }

    /// `{"ids": [...], "topics": [...], "hosts": [...]}`, every key optional; ids may be numbers.
    /// The keys of the retired regular-expression language are refused with what to write instead.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Field.self)
        let retired = ["topic_patterns": "topics (wildcards * and ?, not regular expressions)",
                       "meeting_ids": "ids", "host_ids": "hosts"]
        for key in container.allKeys {
            if let replacement = retired[key.stringValue] {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                    debugDescription: "\(key.stringValue) was replaced by \(replacement); all given conditions must hold")
            }
            guard CodingKeys(rawValue: key.stringValue) != nil else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container,
                    debugDescription: "unknown field (expected one of: hosts, ids, topics)")
            }
        }
        var ids: [String] = []
        if var list = try? container.nestedUnkeyedContainer(forKey: Field("ids")) {
            while !list.isAtEnd {
                if let number = try? list.decode(Int64.self) { ids.append(String(number)) } else { ids.append(try list.decode(String.self)) }
            }
        }
        self.init(ids: ids, topics: try container.decodeIfPresent([String].self, forKey: Field("topics")) ?? [],
                  hostIDs: try container.decodeIfPresent([String].self, forKey: Field("hosts")) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !ids.isEmpty { try container.encode(ids.sorted(), forKey: .ids) }
        if !topics.isEmpty { try container.encode(topics, forKey: .topics) }
        if !hostIDs.isEmpty { try container.encode(hostIDs.sorted(), forKey: .hosts) }
    }
}

/// Case-insensitive wildcard match over the whole text.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.lowercased()), text = Array(text.lowercased())
        var (p, t, star, mark) = (0, 0, -1, 0)
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

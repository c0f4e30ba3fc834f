/// One meeting instance's document as the readers see it: its lifecycle and peak, each person's
/// presence in it, its collective incidents (the facts and timeline are left in the store).
public struct InstanceRecord: Codable, Sendable, Equatable {
    public let meeting: MeetingSummary
    public let people: [PresencePart]
    public let incidents: [CollectiveIncident]

    public init(meeting: MeetingSummary, people: [PresencePart] = [], incidents: [CollectiveIncident] = []) {
        self.meeting = meeting
        self.people = people
        self.incidents = incidents
    }

    enum CodingKeys: String, CodingKey { case people, incidents }

    public init(from decoder: any Decoder) throws {
        meeting = try MeetingSummary(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        people = try container.decodeIfPresent([PresencePart].self, forKey: .people) ?? []
        incidents = try container.decodeIfPresent([CollectiveIncident].self, forKey: .incidents) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        try meeting.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(people, forKey: .people)
        try container.encode(incidents, forKey: .incidents)
    }
}

/// Projection documents read from the store: all of them, or those changed since some time.
/// An instance comes whole (the unit written), so it replaces everything read of it before.
public struct ProjectionChanges: Sendable, Equatable {
    public var instances: [InstanceRecord]
    public var alerts: [QualityAlert]

    public init(instances: [InstanceRecord] = [], alerts: [QualityAlert] = []) {
        self.instances = instances
        self.alerts = alerts
    }

    public var count: Int { instances.count + alerts.count }
}

/// What the exports show, kept in memory by `_id`: filled by one full read, then changed by the
/// documents changed since, so an export costs what changed, not everything ever projected.
/// A document read later replaces the one read before (the store's documents only move forward:
/// guarded replacements, commutative merges). Documents are never removed: the store deletes
/// projections only in a rebuild, after which the writer reads everything again.
/// A person's presence is merged from their parts in every instance (`PresencePart.merged`),
/// again only for the people of the instances that changed.
public struct ExportTable: Sendable, Equatable {
    private var instances: [String: InstanceRecord] = [:]
    /// Person → instance → their part there.
    private var parts: [String: [String: PresencePart]] = [:]
    private var people: [String: ParticipantPresence] = [:]
    private var alerts: [String: QualityAlert] = [:]

    public init(_ everything: ProjectionChanges = ProjectionChanges()) {
        apply(everything)
    }

    public mutating func apply(_ changes: ProjectionChanges) {
        var touched = Set<String>()
        for record in changes.instances {
            let instance = record.meeting.id
            for part in instances[instance]?.people ?? [] {
                parts[part.presence.id]?[instance] = nil
                touched.insert(part.presence.id)
            }
            instances[instance] = record
            for part in record.people {
                parts[part.presence.id, default: [:]][instance] = part
                touched.insert(part.presence.id)
            }
        }
        for person in touched {
            if let mine = parts[person], !mine.isEmpty {
                people[person] = PresencePart.merged(Array(mine.values))
            } else {
                parts[person] = nil
                people[person] = nil
            }
        }
        for row in changes.alerts { alerts[row.id] = row }
    }

    /// Every row, in `_id` order (the renderers sort what they show; this fixes the order of ties).
    public var snapshot: ProjectionSnapshot {
        let records = instances.values.sorted { $0.meeting.id < $1.meeting.id }
        return ProjectionSnapshot(
            presence: people.values.sorted { $0.id < $1.id },
            incidents: records.flatMap(\.incidents),
            meetings: records.map(\.meeting),
            alerts: alerts.values.sorted { $0.id < $1.id })
    }
}

import Foundation
import LookoutCore
import Synchronization

/// The resume cursor: the meeting instances whose events were all confirmed by the broker. A
/// backfill skips these; a crash loses at most the meeting in hand, whose events are then
/// published again under the same keys. (MongoDB: `MongoBackfillLedger` in MongoStorage.)
public protocol BackfillLedger: Sendable {
    /// Which of these meeting instances are done.
    func completed(_ uuids: [String]) async throws(StoreError) -> Set<String>
    func markCompleted(uuid: String, meetingID: String, events: Int, at: Date) async throws(StoreError)
}

extension BackfillLedger {
    public func markCompleted(uuid: String, meetingID: String, events: Int) async throws(StoreError) {
        try await markCompleted(uuid: uuid, meetingID: meetingID, events: events, at: Date())
    }
}

/// The ledger in memory, for unit tests and dry runs.
public final class InMemoryBackfillLedger: BackfillLedger {
    public struct Entry: Sendable, Equatable {
        public let meetingID: String
        public let events: Int
        public let completedAt: Date
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    public func completed(_ uuids: [String]) async throws(StoreError) -> Set<String> {
        entries.withLock { entries in Set(uuids.filter { entries[$0] != nil }) }
    }

    /// First completion wins, as the MongoDB ledger's insert under `_id` does.
    public func markCompleted(uuid: String, meetingID: String, events: Int, at: Date) async throws(StoreError) {
        entries.withLock { entries in
            if entries[uuid] == nil { entries[uuid] = Entry(meetingID: meetingID, events: events, completedAt: at) }
        }
    }

    public var all: [String: Entry] { entries.withLock { $0 } }
}

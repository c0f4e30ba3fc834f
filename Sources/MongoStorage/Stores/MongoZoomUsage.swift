import Foundation
import Projections
import ZoomAPI

/// The daily budget's ledger in MongoDB (`zoom_api_usage`): one small document per account and
/// UTC day, `{_id: "<account>/<yyyy-MM-dd>", account_id, day, requests, stopped_until?, updated_at}`.
/// `requests` grows by atomic `$inc` (findAndModify), so every process of the account shares one
/// count and a restart continues it. Old days are a few bytes each and are kept as a record.
public struct MongoZoomUsage: ZoomUsageLedger {
    public static let collection = Catalogue.zoomUsage.name
    private let database: MongoDatabase
    private let accountID: String

    public init(database: MongoDatabase, accountID: String) {
        self.database = database
        self.accountID = accountID
    }

    public func add(_ requests: Int, day: String) async throws -> ZoomUsageDay {
        var update = BSONUpdate()
        update.inc("requests", .int(requests))
        update.set("updated_at", .date(Date()))
        update.setOnInsert("account_id", .string(accountID))
        update.setOnInsert("day", .string(day))
        let value = try await modify(day: day, update: update)
        return ZoomUsageDay(requests: value?.requests ?? requests, stoppedUntil: value?.stoppedUntil?.date)
    }

    public func stop(day: String, until: Date) async throws {
        var update = BSONUpdate()
        update.max("stopped_until", .date(until))
        update.set("updated_at", .date(Date()))
        update.setOnInsert("account_id", .string(accountID))
        update.setOnInsert("day", .string(day))
        update.setOnInsert("requests", 0)
        _ = try await modify(day: day, update: update)
    }

    private func modify(day: String, update: BSONUpdate) async throws(StoreError) -> Day? {
        let reply = try await database.command(["findAndModify": .string(Self.collection), "query": ["_id": .string(accountID + "/" + day)],
                                                "update": .document(update.document), "upsert": true, "new": true])
        guard let value = reply["value"]?.documentValue else { return nil }
        return try BSONDecoder().decode(Day.self, from: value)
    }

    private struct Day: Decodable {
        let requests: Int?
        let stoppedUntil: BSONDate?
        enum CodingKeys: String, CodingKey { case requests, stoppedUntil = "stopped_until" }
    }
}

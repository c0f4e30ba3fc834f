import MongoStorage
import Foundation
import ZoomAPI
import ZoomModel

/// The daily budget's ledger in MongoDB (`zoom_api_usage`): one small document per account and
/// UTC day, `{_id: "<account>/<yyyy-MM-dd>", account_id, day, requests, stopped_until?, updated_at}`.
/// `requests` grows by atomic `$inc` (findAndModify), so every process of the account shares one
/// count and a restart continues it. Old days are a few bytes each and are kept as a record.
public struct MongoZoomUsage: ZoomUsageLedger {
    public static let collection = "zoom_api_usage"
    private let database: MongoDatabase
    private let accountID: String

    public init(database: MongoDatabase, accountID: String) {
        self.database = database
        self.accountID = accountID
    }

    public func add(_ requests: Int, day: String) async throws -> ZoomUsageDay {
        let reply = try await modify(day: day, update: #"{"$inc": {"requests": \#(requests)}, "$set": {"updated_at": \#(ExtendedJSON.date(Date()))}, "$setOnInsert": {"account_id": \#(ExtendedJSON.string(accountID)), "day": \#(ExtendedJSON.string(day))}}"#)
        return ZoomUsageDay(requests: reply.value?.requests ?? requests, stoppedUntil: reply.value?.stoppedUntil?.date)
    }

    public func stop(day: String, until: Date) async throws {
        _ = try await modify(day: day, update: #"{"$max": {"stopped_until": \#(ExtendedJSON.date(until))}, "$set": {"updated_at": \#(ExtendedJSON.date(Date()))}, "$setOnInsert": {"account_id": \#(ExtendedJSON.string(accountID)), "day": \#(ExtendedJSON.string(day)), "requests": 0}}"#)
    }

    private func modify(day: String, update: String) async throws(StoreError) -> Reply {
        let id = ExtendedJSON.string(accountID + "/" + day)
        let command = #"{"findAndModify": \#(ExtendedJSON.string(Self.collection)), "query": {"_id": \#(id)}, "update": \#(update), "upsert": true, "new": true}"#
        return try ExtendedJSON.decode(try await database.command(command))
    }

    private struct Reply: Decodable {
        struct Day: Decodable {
            let requests: Int?
            let stoppedUntil: MongoDate?
            enum CodingKeys: String, CodingKey { case requests, stoppedUntil = "stopped_until" }
        }
        let value: Day?
    }

    /// `{"$date": "2026-12-03T00:00:00Z"}` or `{"$date": {"$numberLong": "…"}}` (relaxed or canonical).
    private struct MongoDate: Decodable {
        let date: Date
        enum CodingKeys: String, CodingKey { case date = "$date" }
        struct Long: Decodable {
            let value: String
            enum CodingKeys: String, CodingKey { case value = "$numberLong" }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let text = try? container.decode(String.self, forKey: .date), let date = ZoomTime.parse(text) {
                self.date = date
            } else if let long = try? container.decode(Long.self, forKey: .date), let ms = Double(long.value) {
                date = Date(timeIntervalSince1970: ms / 1000)
            } else {
                date = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .date) / 1000)
            }
        }
    }
}

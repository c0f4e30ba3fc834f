import Crypto
import EventStore
import Foundation
import Logging
import LookoutCore
import OutboundHTTP

/// Uploads the Zoho CSVs and remembers, per view (table id), the SHA-256 of the last CSV Zoho accepted
/// (`zoho_uploads`): an unchanged table is not sent again, and nothing is recorded before Zoho
/// answered success, so a failed or interrupted upload is simply sent again next time.
public struct ZohoUploader: Sendable {
    public static let collection = "zoho_uploads"

    public enum Outcome: Sendable, Equatable {
        case uploaded(rows: Int)
        case unchanged
        case empty
    }

    public struct Rejection: Error, CustomStringConvertible, Sendable {
        public let table: String
        public let status: Int
        public let message: String
        public var description: String { "Zoho refused the \(table) upload (\(status)): \(message)" }
    }

    private let settings: ZohoSettings
    private let transport: any HTTPTransport
    private let database: MongoDatabase
    private let retry: Backoff
    private let attempts: Int
    private let logger: Logger

    public init(settings: ZohoSettings, transport: any HTTPTransport, database: MongoDatabase,
                retry: Backoff = Backoff(initial: .seconds(1), maximum: .seconds(60)), attempts: Int = 6, logger: Logger) {
        self.settings = settings
        self.transport = transport
        self.database = database
        self.retry = retry
        self.attempts = attempts
        self.logger = logger
    }

    public func upload(_ job: ZohoImport) async throws -> Outcome {
        guard !job.isEmpty else { return .empty }
        let digest = SHA256.hash(data: Data(job.csv.utf8)).map { String(format: "%02x", $0) }.joined()
        let state = try await database.find(Self.collection, filter: #"{"_id": \#(ExtendedJSON.string(job.view)), "sha256": "\#(digest)"}"#)
        guard state.isEmpty else { return .unchanged }
        try await send(job)
        let rows = job.csv.split(separator: "\n").count - 1
        let update = #"{"$set": {"sha256": "\#(digest)", "table": \#(ExtendedJSON.string(job.table)), "rows": \#(rows), "uploaded_at": \#(ExtendedJSON.date(Date()))}}"#
        let result = try await database.bulkWrite(Self.collection, [.updateOne(filter: #"{"_id": \#(ExtendedJSON.string(job.view))}"#, update: update, upsert: true)])
        if let failure = result.failures.first { throw StoreError.invalidDocument("\(Self.collection): \(failure.errmsg)") }
        return .uploaded(rows: rows)
    }

    /// Retries network failures, 429 and 5xx with backoff; any other answer but success is final.
    private func send(_ job: ZohoImport) async throws {
        let request = job.request(settings)
        var attempt = 0
        while true {
            let problem: String
            let outcome: Result<OutboundResponse, TransportError>
            do throws(TransportError) { outcome = .success(try await transport.send(request)) } catch { outcome = .failure(error) }
            switch outcome {
            case .success(let response):
                let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
                if response.status == 200, answer?.status == "success" { return }
                problem = "\(response.status): \(answer?.data?.errorMessage ?? String(decoding: response.body.prefix(300), as: UTF8.self))"
                guard response.status == 429 || response.status >= 500 else {
                    throw Rejection(table: job.table, status: response.status, message: problem)
                }
            case .failure(let error):
                problem = error.message
            }
            attempt += 1
            guard attempt < attempts else { throw Rejection(table: job.table, status: 0, message: "gave up after \(attempts) attempts: \(problem)") }
            let wait = retry.delay(attempt: attempt - 1)
            logger.warning("Zoho upload failed, retrying", metadata: ["table": "\(job.table)", "error": "\(problem)", "retry_in": "\(wait)"])
            try await Task.sleep(for: wait)
        }
    }

    private struct Answer: Decodable {
        struct Detail: Decodable { let errorMessage: String? }
        let status: String?
        let data: Detail?
    }
}

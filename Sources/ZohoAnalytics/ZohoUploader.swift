import Crypto
import Foundation
import Logging
import LookoutCore
import CurlHTTP

/// Uploads the Zoho CSVs a little at a time: only the rows Zoho has not accepted in their current
/// form (`ZohoUploadPlan`), in files under the 20 MB import limit, each recorded in the ledger once
/// Zoho answered success. An unchanged table costs no request; a failed or interrupted upload
/// sends again, next time, what was not acknowledged.
public struct ZohoUploader: Sendable {
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// `rows` new or changed rows in `files` imports; `withdrawn` rows accepted earlier are no
        /// longer exported but stay in Zoho.
        case uploaded(rows: Int, files: Int, withdrawn: Int)
        case unchanged
        case empty

        public var description: String {
            switch self {
            case .uploaded(let rows, let files, let withdrawn):
                "\(rows) new or changed rows sent in \(files) file\(files == 1 ? "" : "s")"
                    + (withdrawn > 0 ? "; \(withdrawn) rows sent earlier are no longer exported and stay in Zoho" : "")
            case .unchanged: "unchanged since Zoho last accepted it"
            case .empty: "no rows"
            }
        }
    }

    private let settings: ZohoSettings
    private let tokens: ZohoAccessTokens
    private let transport: any HTTPTransport
    private let ledger: any ZohoUploadLedger
    private let retry: RetryPolicy
    private let maxFileBytes: Int
    private let logger: Logger

    public init(settings: ZohoSettings, tokens: ZohoAccessTokens, transport: any HTTPTransport, ledger: any ZohoUploadLedger,
                retry: RetryPolicy = RetryPolicy(initial: .seconds(1), maximum: .seconds(60), attempts: 6),
                maxFileBytes: Int = ZohoUploadPlan.maxFileBytes, logger: Logger) {
        self.settings = settings
        self.tokens = tokens
        self.transport = transport
        self.ledger = ledger
        self.retry = retry
        self.maxFileBytes = maxFileBytes
        self.logger = logger
    }

    /// `full`: send every row again, whatever Zoho accepted before (after the table was edited or
    /// emptied in Zoho).
    public func upload(_ job: ZohoImport, full: Bool = false) async throws -> Outcome {
        guard !job.isEmpty else { return .empty }
        let digest = SHA256.hash(data: Data(job.csv.utf8)).map { String(format: "%02x", $0) }.joined()
        if !full, try await ledger.tableDigest(view: job.view) == digest { return .unchanged }
        let plan = ZohoUploadPlan(csv: job.csv, accepted: full ? [:] : try await ledger.acceptedRows(view: job.view))
        let files = plan.files(maxBytes: maxFileBytes)
        for rows in files {
            try await send(job, file: plan.csv(rows))
            try await ledger.recordRows(view: job.view, rows)
        }
        try await ledger.recordTable(view: job.view, table: job.table, digest: digest, rows: plan.changed.count + plan.unchanged)
        if plan.withdrawn > 0 {
            logger.warning("rows sent to Zoho earlier are no longer exported; updateadd leaves them in Zoho",
                           metadata: ["table": "\(job.table)", "rows": "\(plan.withdrawn)"])
        }
        return files.isEmpty ? .unchanged : .uploaded(rows: plan.changed.count, files: files.count, withdrawn: plan.withdrawn)
    }

    /// One import, retried with backoff while Zoho is busy (7092, 6045, 429, 5xx) or away; a
    /// refused token is renewed once (a refresh-token grant only), any other refusal is final.
    private func send(_ job: ZohoImport, file: String) async throws {
        var renewed = false
        do {
            try await retry.run("Zoho upload of \(job.table)", logger: logger) {
                try await attempt(job, file: file, renewed: &renewed)
            }
        } catch {
            switch error {
            case .permanent(let failure): throw failure
            case .exhausted(let failure):
                throw ZohoError.gaveUp(table: job.table, attempts: retry.attempts ?? 0, lastProblem: "\(failure)")
            case .stopped: throw CancellationError()
            }
        }
    }

    /// One import; throws `ZohoError` (final), `ZohoTransientFailure` or `TransportError` (worth
    /// another attempt). A renewed token is tried at once, without counting as an attempt.
    private func attempt(_ job: ZohoImport, file: String, renewed: inout Bool) async throws {
        while true {
            let token = try await tokens.current()
            let response = try await transport.send(job.request(settings, file: file, token: token))
            switch ZohoAnswer(status: response.status, body: response.body) {
            case .accepted:
                return
            case .tokenRefused(let why):
                guard tokens.canRenew, !renewed else {
                    throw ZohoError.authorizationRefused(tokens.canRenew ? "a freshly issued token was refused too (\(why)): check its scope" : why)
                }
                renewed = true
                await tokens.invalidate(token)
                logger.info("Zoho refused the access token; renewing it", metadata: ["table": "\(job.table)"])
            case .retryLater(let why):
                throw ZohoTransientFailure(description: why)
            case .refused(let status, let code, let message):
                throw ZohoError.refused(table: job.table, status: status, code: code, message: message)
            }
        }
    }
}

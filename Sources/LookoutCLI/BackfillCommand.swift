import ArgumentParser
import Backfill
import Broker
import MongoStorage
import Foundation
import Logging
import LookoutCore
import CurlHTTP
import Synchronization
import ZoomAPI

struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Publish past meetings' joins and leaves from Zoom's API as events (source backfill).",
        discussion: """
        Lists the past meetings of the range (Dashboard API, last 6 months), keeps those the rules \
        track, and publishes each one's participants as meeting.participant_joined/left events under \
        keys that make a second backfill add nothing. With --source report, the named meetings' \
        instances come from the Report API instead. Resumes after a crash: meetings already done are \
        skipped (MongoDB backfill_meetings). Every request is paced by its Zoom rate class and counted \
        against the day's share of Zoom's daily cap (MongoDB zoom_api_usage); when that is spent the \
        command stops with exit 75 and says when to run it again. \(keysHelp(ConfigurationKeys.Backfill.keys + [ConfigurationKeys.Project.rules.info, ConfigurationKeys.Shared.mongoURI.info, ConfigurationKeys.Shared.amqpURL.info])) See docs/backfill.md.
        """)

    @Option(help: "First day, YYYY-MM-DD (UTC).")
    var from: String

    @Option(help: "Last day, YYYY-MM-DD (UTC), included.")
    var to: String

    @Option(name: .customLong("meeting"), parsing: .upToNextOption, help: "Only these meeting ids or instance UUIDs.")
    var meetings: [String] = []

    @Option(help: "dashboard: list the range with the Dashboard API (last 6 months); report: the named meetings from the Report API.")
    var source: HistoryBackfill.Source = .dashboard

    @Option(help: "Rules file (meeting filter); default LOOKOUT_PROJECTION_RULES, else track every meeting.")
    var rules: String?

    @Flag(help: "Fetch meetings already backfilled again (adds nothing new unless Zoom's data changed).")
    var restart = false

    func run() async throws {
        try await reportingFailures {
            let range: BackfillRange
            do {
                range = try BackfillRange(from: from, to: to)
                if source == .dashboard { try range.checkDashboardWindow(now: Date()) }
            } catch { throw Failure.input("\(error)") }
            let environment = Environment()
            let filter = try environment.projectionRules(path: rules).meetings
            let logger = Environment.logger("backfill")
            let database = try environment.database()
            let (client, accountID) = try environment.zoomAPIClient(database: database, logger: logger)
            let publisher = ConfirmedPublisher(endpoints: try environment.brokerEndpoints(), topology: try environment.topology(), logger: logger)
            let backfill = HistoryBackfill(history: MeetingHistory(client: client), publisher: publisher,
                                           ledger: MongoBackfillLedger(database: database), filter: filter, accountID: accountID,
                                           known: StoredMovements(database: database), logger: logger)
            let display = ProgressDisplay()
            let publishing = Task { await publisher.run() }
            let outcome: Result<BackfillProgress, any Error>
            do {
                let request = HistoryBackfill.Request(range: range, meetingIDs: meetings, restart: restart, source: source)
                outcome = .success(try await backfill.run(request) { display.show($0) })
            } catch {
                outcome = .failure(error)
            }
            publishing.cancel()
            await publishing.value
            switch outcome {
            case .success(let summary):
                display.finish(summary)
            case .failure(let error):
                display.finish(nil)
                try Self.fail(error)
            }
        }
    }

    /// Refusals before any work are bad input (65); a scope the app lacks is configuration (78);
    /// the day's budget spent is "try again later" (75, EX_TEMPFAIL), with the time to do so.
    static func fail(_ error: any Error) throws -> Never {
        switch error {
        case let problem as BackfillRange.Problem: throw Failure.input("\(problem)")
        case let refusal as HistoryBackfill.Refusal: throw Failure.input("\(refusal)")
        case let zoom as ZoomAPIError:
            switch zoom {
            case .missingScopes: throw Failure.configuration("\(zoom)")
            case .dailyLimitReached, .dailyBudgetSpent:
                FileHandle.standardError.write(Data("lookout: \(zoom); meetings done so far are kept: run the same command again then\n".utf8))
                throw ExitCode(75)
            default: break
            }
        default: break
        }
        throw Failure.unavailable("\(error) (meetings done so far are kept: run again to resume)")
    }
}

extension HistoryBackfill.Source: ExpressibleByArgument {}

/// One updating line on a terminal, plain lines (at most one every few seconds) otherwise.
struct ProgressDisplay {
    private let terminal = isatty(STDOUT_FILENO) == 1
    private let clock = ContinuousClock()
    private let lastLine = LastLine()

    /// When the last progress line was printed; progress may be reported from concurrent tasks.
    private final class LastLine: Sendable { let at = Mutex<ContinuousClock.Instant?>(nil) }

    func show(_ progress: BackfillProgress) {
        if terminal {
            print("\r\u{1B}[K" + progress.line, terminator: "")
            fflush(nil)
        } else {
            let now = clock.now
            let due = lastLine.at.withLock { last in
                guard last.map({ now - $0 >= .seconds(5) }) ?? true || progress.done == progress.total else { return false }
                last = now
                return true
            }
            if due { print(progress.line) }
        }
    }

    func finish(_ summary: BackfillProgress?) {
        if terminal { print("") }
        if let summary {
            print("backfill done: \(summary.backfilled) meetings backfilled, \(summary.skipped) already done, \(summary.events) events published")
        }
    }
}

extension Environment {
    /// LOOKOUT_ZOOM_PLAN (`pro`, `business`), LOOKOUT_ZOOM_DAILY_SHARE (percent of the plan's
    /// daily cap) and LOOKOUT_ZOOM_HEAVY_RATE (Heavy requests a second; default 80 % of the plan's).
    func zoomRequestRate() throws -> ZoomRateLimits {
        typealias Key = ConfigurationKeys.Backfill
        return try configured { () throws(ConfigurationError) in
            guard let plan = ZoomPlan(rawValue: try configuration.value(Key.plan)) else { preconditionFailure("declared words") }
            var limits = ZoomRateLimits(plan: plan, dailySharePercent: try configuration.value(Key.dailyShare))
            let heavy = plan.limit(.heavy).requests
            if let rate = try configuration.value(Key.heavyRate) {
                guard (1...heavy).contains(rate) else {
                    throw ConfigurationError(key: Key.heavyRate.name, problem: "expected 1...\(heavy) on the \(plan) plan, got \(rate)")
                }
                limits.rates[.heavy] = .init(rate, per: .second)
            }
            return limits
        }
    }

    /// The Zoom API client every command uses: the app's credentials, the plan's rate classes, and
    /// the daily budget counted in MongoDB (`zoom_api_usage`) for every process of the account.
    func zoomAPIClient(database: MongoDatabase, logger: Logger) throws -> (client: ZoomAPIClient, accountID: String) {
        let credentials = try zoomCredentials()
        var options = ZoomAPIClient.Options()
        options.limits = try zoomRequestRate()
        let client = ZoomAPIClient(credentials: credentials, transport: CurlTransport(), options: options,
                                   usage: MongoZoomUsage(database: database, accountID: credentials.accountID), logger: logger)
        return (client, credentials.accountID)
    }

    /// Server-to-Server OAuth credentials; the secret only from the environment or a file.
    func zoomCredentials() throws -> ZoomCredentials {
        typealias Key = ConfigurationKeys.Backfill
        return try configured { () throws(ConfigurationError) in
            ZoomCredentials(accountID: try configuration.value(Key.accountID), clientID: try configuration.value(Key.clientID),
                            clientSecret: try configuration.value(Key.clientSecret),
                            apiURL: try configuration.value(Key.apiURL), oauthURL: try configuration.value(Key.oauthURL))
        }
    }
}

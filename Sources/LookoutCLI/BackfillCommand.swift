import ArgumentParser
import Backfill
import Broker
import EventStore
import Foundation
import LookoutCore
import OutboundHTTP
import ZoomAPI

struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Publish past meetings' joins and leaves from Zoom's API as events (source backfill).",
        discussion: """
        Lists the past meetings of the range (Dashboard API), keeps those the rules track, and \
        publishes each one's participants as meeting.participant_joined/left events under keys that \
        make a second backfill add nothing. Resumes after a crash: meetings already done are skipped \
        (MongoDB backfill_meetings). Keys: LOOKOUT_ZOOM_ACCOUNT_ID, LOOKOUT_ZOOM_CLIENT_ID, \
        LOOKOUT_ZOOM_CLIENT_SECRET(_FILE), LOOKOUT_ZOOM_API_URL, LOOKOUT_ZOOM_OAUTH_URL, \
        LOOKOUT_ZOOM_HEAVY_RATE, LOOKOUT_PROJECTION_RULES, LOOKOUT_MONGO_URI, LOOKOUT_AMQP_URL. See docs/backfill.md.
        """)

    @Option(help: "First day, YYYY-MM-DD (UTC).")
    var from: String

    @Option(help: "Last day, YYYY-MM-DD (UTC), included.")
    var to: String

    @Option(name: .customLong("meeting"), parsing: .upToNextOption, help: "Only these meeting ids or instance UUIDs.")
    var meetings: [String] = []

    @Option(help: "Rules file (meeting filter); default LOOKOUT_PROJECTION_RULES, else track every meeting.")
    var rules: String?

    @Flag(help: "Fetch meetings already backfilled again (adds nothing new unless Zoom's data changed).")
    var restart = false

    func run() async throws {
        try await reportingFailures {
            let range: BackfillRange
            do { range = try BackfillRange(from: from, to: to) } catch { throw Failure.input("\(error)") }
            let environment = Environment()
            let filter = try environment.projectionRules(path: rules).meetings
            let credentials = try environment.zoomCredentials()
            var options = ZoomAPIClient.Options()
            options.requestsPerSecond = try environment.zoomRequestRate()
            let logger = Environment.logger("backfill")
            let client = ZoomAPIClient(credentials: credentials, transport: CurlTransport(), options: options, logger: logger)
            let publisher = ConfirmedPublisher(endpoints: try environment.brokerEndpoints(), topology: try environment.topology(), logger: logger)
            let backfill = HistoryBackfill(history: MeetingHistory(client: client), publisher: publisher,
                                           ledger: BackfillLedger(database: try environment.database()), filter: filter,
                                           accountID: credentials.accountID, logger: logger)
            let display = ProgressDisplay()
            let publishing = Task { await publisher.run() }
            let outcome: Result<BackfillProgress, any Error>
            do {
                outcome = .success(try await backfill.run(.init(range: range, meetingIDs: meetings, restart: restart)) { display.show($0) })
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
                throw Failure.unavailable("\(error) (meetings done so far are kept: run again to resume)")
            }
        }
    }
}

/// One updating line on a terminal, plain lines (at most one every few seconds) otherwise.
struct ProgressDisplay {
    private let terminal = isatty(STDOUT_FILENO) == 1
    private let clock = ContinuousClock()
    private let lastLine = LastLine()

    private final class LastLine: @unchecked Sendable { var at: ContinuousClock.Instant? }

    func show(_ progress: BackfillProgress) {
        if terminal {
            print("\r\u{1B}[K" + progress.line, terminator: "")
            fflush(nil)
        } else if lastLine.at.map({ clock.now - $0 >= .seconds(5) }) ?? true || progress.done == progress.total {
            lastLine.at = clock.now
            print(progress.line)
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
    /// LOOKOUT_ZOOM_HEAVY_RATE: Zoom API requests per second.
    func zoomRequestRate() throws -> Double {
        Double(try configured { () throws(ConfigurationError) in
            try configuration.int("LOOKOUT_ZOOM_HEAVY_RATE", default: 8, range: 1...40)
        })
    }

    /// Server-to-Server OAuth credentials; the secret only from the environment or a file.
    func zoomCredentials() throws -> ZoomCredentials {
        try configured { () throws(ConfigurationError) in
            func required(_ key: String) throws(ConfigurationError) -> String {
                guard let value = configuration.optionalString(key) else { throw ConfigurationError(key: key, problem: "required for the backfill") }
                return value
            }
            guard let secret = try configuration.secrets("LOOKOUT_ZOOM_CLIENT_SECRET").first else {
                throw ConfigurationError(key: "LOOKOUT_ZOOM_CLIENT_SECRET", problem: "required for the backfill (or LOOKOUT_ZOOM_CLIENT_SECRET_FILE)")
            }
            return ZoomCredentials(accountID: try required("LOOKOUT_ZOOM_ACCOUNT_ID"), clientID: try required("LOOKOUT_ZOOM_CLIENT_ID"),
                                   clientSecret: secret,
                                   apiURL: configuration.string("LOOKOUT_ZOOM_API_URL", default: "https://api.zoom.us"),
                                   oauthURL: configuration.string("LOOKOUT_ZOOM_OAUTH_URL", default: "https://zoom.us/oauth/token"))
        }
    }
}

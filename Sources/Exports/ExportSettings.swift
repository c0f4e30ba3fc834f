import Foundation
import LookoutCore
import Projections
import ZoomModel

/// Where and how exports are written; read from `LOOKOUT_EXPORT_*` keys.
public struct ExportSettings: Sendable {
    public var directory: URL
    public var timeZone: TimeZone = .gmt
    public var debounce: Duration = .seconds(2)
    /// How far before the previous read's start a read of changed documents begins (`ChangeCursor`).
    public var changeOverlap: Duration = .seconds(10)
    /// How often the writer reads every document again rather than the changed ones.
    public var fullReadInterval: Duration = .seconds(600)
    /// Set in code: everyone (tests, tools). Read from the configuration: private unless the
    /// operator chose otherwise (`privacy(_:allowed:)`).
    public var privacy = ExportPrivacy.everyone
    /// Only this meeting's participants in the dashboard CSV (the seed's one-room page).
    public var dashboardMeetingID: String?

    public init(directory: URL) {
        self.directory = directory
    }

    public init(configuration: Configuration) throws(ConfigurationError) {
        directory = URL(fileURLWithPath: configuration.string("LOOKOUT_EXPORT_DIR", default: "exports"))
        timeZone = try TimeZoneSetting.read(configuration, preferring: "LOOKOUT_EXPORT_TIMEZONE")
        debounce = try configuration.milliseconds("LOOKOUT_EXPORT_DEBOUNCE_MS", default: 2000, range: 0...600_000)
        changeOverlap = try configuration.milliseconds("LOOKOUT_EXPORT_CHANGE_OVERLAP_MS", default: 10_000, range: 0...3_600_000)
        fullReadInterval = try configuration.milliseconds("LOOKOUT_EXPORT_FULL_READ_MS", default: 600_000, range: 1000...86_400_000)
        let allowed = configuration.optionalString("LOOKOUT_EXPORT_ALLOWED_NAMES")?
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        privacy = try Self.privacy(configuration, allowed: allowed)
        dashboardMeetingID = configuration.optionalString("LOOKOUT_EXPORT_MEETING_ID")
    }
}

extension ExportSettings {
    /// Private by default (issue 15): with `LOOKOUT_EXPORT_PSEUDONYMIZE` unset, names become
    /// pseudonyms when `LOOKOUT_PSEUDONYM_KEY` is set, and are withheld (counts only) when it is not;
    /// an allow-list alone names only those it lists. `false` is the operator's choice of real names.
    static func privacy(_ configuration: Configuration, allowed: [String]) throws(ConfigurationError) -> ExportPrivacy {
        let choice = configuration.optionalString("LOOKOUT_EXPORT_PSEUDONYMIZE")
        guard choice == nil || choice == "true" || choice == "false" else {
            throw ConfigurationError(key: "LOOKOUT_EXPORT_PSEUDONYMIZE", problem: "expected true or false, got \"\(choice!)\"")
        }
        let key = try PseudonymKey.read(configuration)
        switch choice {
        case "true":
            guard let key else {
                throw ConfigurationError(key: PseudonymKey.name, problem: "required when LOOKOUT_EXPORT_PSEUDONYMIZE=true (16+ characters, or \(PseudonymKey.name)_FILE)")
            }
            return ExportPrivacy(allowedNames: allowed, pseudonyms: Pseudonyms(key: key))
        case "false":
            return ExportPrivacy(allowedNames: allowed)
        default:
            if let key { return ExportPrivacy(allowedNames: allowed, pseudonyms: Pseudonyms(key: key)) }
            return allowed.isEmpty ? .withheld : ExportPrivacy(allowedNames: allowed)
        }
    }
}

/// The export files and their contents for one snapshot.
public enum ExportFiles {
    public static let dashboard = "zoom-room-dashboard.csv"
    public static let disconnections = "zoho-disconnections.csv"
    public static let incidents = "zoho-incidents.csv"
    public static let json = "lookout.json"

    public static func render(_ snapshot: ProjectionSnapshot, settings: ExportSettings, rules: ProjectionRules,
                              now: Date) throws -> [(name: String, contents: Data)] {
        let window = rules.collectiveWindowSeconds
        return [
            (dashboard, Data(DashboardCSV.render(snapshot.presence, timeZone: settings.timeZone, privacy: settings.privacy,
                                                 meetingID: settings.dashboardMeetingID).utf8)),
            (disconnections, Data(ZohoCSV.disconnections(snapshot, privacy: settings.privacy).utf8)),
            (incidents, Data(ZohoCSV.incidents(snapshot, privacy: settings.privacy, windowSeconds: window).utf8)),
            (json, try ExportJSON.render(snapshot, privacy: settings.privacy, windowSeconds: window, now: now)),
        ]
    }
}

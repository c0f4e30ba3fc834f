import Foundation
import LookoutCore
import Projections
import ZoomModel

/// Where and how exports are written; read from `LOOKOUT_EXPORT_*` keys.
public struct ExportSettings: Sendable {
    typealias Key = ConfigurationKeys.Export

    public var directory: URL
    public var timeZone: TimeZone = .gmt
    public var debounce = Key.debounce.defaultValue
    /// How far before the previous read's start a read of changed documents begins (`ChangeCursor`).
    public var changeOverlap = Key.changeOverlap.defaultValue
    /// How often the writer reads every document again rather than the changed ones.
    public var fullReadInterval = Key.fullReadInterval.defaultValue
    /// Set in code: everyone (tests, tools). Read from the configuration: private unless the
    /// operator chose otherwise (`privacy(_:allowed:)`).
    public var privacy = ExportPrivacy.everyone
    /// Only this meeting's participants in the dashboard CSV (the seed's one-room page).
    public var dashboardMeetingID: String?

    public init(directory: URL) {
        self.directory = directory
    }

    public init(configuration: Configuration) throws(ConfigurationError) {
        directory = URL(fileURLWithPath: try configuration.value(Key.directory))
        timeZone = try TimeZoneSetting.read(configuration, preferring: Key.formerTimeZone)
        debounce = try configuration.value(Key.debounce)
        changeOverlap = try configuration.value(Key.changeOverlap)
        fullReadInterval = try configuration.value(Key.fullReadInterval)
        privacy = try Self.privacy(configuration, allowed: try configuration.value(Key.allowedNames))
        dashboardMeetingID = try configuration.value(Key.meetingID)
    }
}

extension ExportSettings {
    /// Private by default (issue 15): with `LOOKOUT_EXPORT_PSEUDONYMIZE` unset, names become
    /// pseudonyms when `LOOKOUT_PSEUDONYM_KEY` is set, and are withheld (counts only) when it is not;
    /// an allow-list alone names only those it lists. `false` is the operator's choice of real names.
    static func privacy(_ configuration: Configuration, allowed: [String]) throws(ConfigurationError) -> ExportPrivacy {
        let choice = try configuration.value(Key.pseudonymize)
        let key = try PseudonymKey.read(configuration)
        switch choice {
        case true?:
            guard let key else {
                throw ConfigurationError(key: PseudonymKey.name, problem: "required when \(Key.pseudonymize.name)=true (16+ characters, or \(PseudonymKey.name)_FILE)")
            }
            return ExportPrivacy(allowedNames: allowed, pseudonyms: Pseudonyms(key: key))
        case false?:
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

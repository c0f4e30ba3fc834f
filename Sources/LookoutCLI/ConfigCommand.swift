import ArgumentParser
import Foundation
import LookoutCore
import NotifyWorker
import ProjectionWorker
import Exports
import ZohoAnalytics

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the configuration.",
        subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every setting as the processes would, print the effective values (secrets hidden), name every problem.",
            discussion: """
            Reads the environment and LOOKOUT_CONFIG_FILE exactly as the processes do, runs each \
            process's checks (rules files included) without connecting to anything, and prints every \
            key with its effective value and where it came from (env, file, default). Secrets are \
            never printed; URLs are shown without their password. Keys that Lookout does not know \
            (typos) are named with the nearest known key. Exit status 0 when everything is valid, \
            78 otherwise. Default processes: receive, store, project, web, and notify when \
            LOOKOUT_NOTIFY_RULES is set.
            """)

        @Argument(help: "Processes to check: \(ConfigCheck.processes.joined(separator: ", ")).")
        var processes: [String] = []

        func validate() throws {
            for name in processes where !ConfigCheck.processes.contains(name) {
                throw ValidationError("unknown process \"\(name)\"; choose from \(ConfigCheck.processes.joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await reportingFailures(warningOfUnknownKeys: false) {
                let check = ConfigCheck(configuration: Environment().configuration)
                let problems = check.run(processes.isEmpty ? check.defaultProcesses : processes)
                guard problems == 0 else {
                    throw Failure.configuration("\(problems) problem\(problems == 1 ? "" : "s") found (see above)")
                }
            }
        }
    }
}

/// Runs each process's settings code against a recording configuration and prints the outcome.
struct ConfigCheck {
    static let processes = ["receive", "store", "project", "notify", "web", "backfill", "reconcile", "zoho"]

    let configuration: Configuration

    var defaultProcesses: [String] {
        ["receive", "store", "project", "web"] + (configuration.isSet(ConfigurationKeys.Notify.rules) ? ["notify"] : [])
    }

    /// Prints the report; returns the number of problems.
    func run(_ names: [String]) -> Int {
        if let file = configuration.variable(ConfigurationKeys.Shared.configFile.name) {
            print("configuration: environment, then \(file)")
        } else {
            print("configuration: environment (LOOKOUT_CONFIG_FILE not set)")
        }
        var problems = 0
        var read: Set<String> = []
        for name in ["shared"] + names {
            let recorder = ConfigurationRecorder()
            defer { read.formUnion(recorder.recorded.keys) }
            let environment = Environment(configuration: configuration.recording(into: recorder))
            let outcome = Result { try Self.check(name, in: environment) }
            print("\n[\(name)]")
            printValues(section: name, recorded: recorder.recorded, failed: (try? outcome.get()) == nil)
            switch outcome {
            case .success: print("  ok")
            case .failure(let error):
                problems += 1
                print("  ERROR \(Self.describe(error))")
            }
        }
        // A key some checked code read (a hook's `url_env`, say) is not unknown.
        let unknown = configuration.lookoutKeys.keys.sorted().filter { !read.contains($0) }.compactMap(ConfigurationKeys.unknown)
        if !unknown.isEmpty {
            print("\n[unknown keys]")
            for (key, suggestion) in unknown {
                print("  ERROR \(key) is not a Lookout key" + (suggestion.map { " (did you mean \($0)?)" } ?? ""))
            }
        }
        return problems + unknown.count
    }

    /// One line per key of the section (a secret's `_FILE` too when that is set): effective value
    /// (secrets hidden) and where it came from; then any other key the section's code read.
    private func printValues(section name: String, recorded: [String: ConfigurationRecorder.Lookup], failed: Bool) {
        // A replaced key is shown only when it is set, with what to set instead.
        let declared = (ConfigurationKeys.section(name)?.keys ?? []).filter { key in
            key.replacement == nil || configuration.variable(key.name) != nil || configuration.variable(key.name + "_FILE") != nil
        }
        var rows = declared.flatMap { key in
            key.isSecret && configuration.variable(key.name + "_FILE") != nil
                ? [key, SettingInfo(name: key.name + "_FILE", summary: key.summary, shownDefault: nil, isSecret: false)] : [key]
        }
        // A key outside the catalogue was read through the rules (a hook's `url_env`): a secret.
        rows += recorded.keys.filter { $0.hasPrefix("LOOKOUT_") && !ConfigurationKeys.all.contains($0) }.sorted()
            .map { SettingInfo(name: $0, summary: "", shownDefault: nil, isSecret: true) }
        let width = rows.map(\.name.count).max() ?? 0
        for key in rows {
            let shown: String
            if let value = configuration.variable(key.name) {
                let origin = configuration.origin(of: key.name) == .file ? "file" : "env"
                let note = key.replacement.map { ", deprecated: set \($0)" } ?? ""
                shown = ConfigurationDisplay.masked(value, key: key.name, secret: key.isSecret) + "  [\(origin)\(note)]"
            } else if key.isSecret, configuration.variable(key.name + "_FILE") != nil {
                shown = "(hidden, in \(key.name)_FILE)"
            } else if let fallback = key.shownDefault {
                shown = ConfigurationDisplay.masked(fallback, key: key.name) + "  [default]"
            } else if recorded[key.name] == nil && failed {
                shown = "?  [not reached: fix the error below first]"
            } else {
                shown = "-  [unset]"
            }
            print("  " + key.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + shown)
        }
    }

    /// The same reading code the process runs at start, without opening any connection.
    private static func check(_ name: String, in environment: Environment) throws {
        switch name {
        case "shared":
            _ = try environment.brokerEndpoints()
            _ = try environment.topology()
            _ = try environment.database()
            _ = try environment.configured { () throws(ConfigurationError) in try environment.logging() }
            _ = try environment.metricsAddress()
        case "receive":
            _ = try environment.receiverSettings()
        case "store":
            _ = try environment.workerLimits(ConfigurationKeys.Store.limits)
        case "project":
            _ = try environment.projectionRules()
            _ = try environment.workerLimits(ConfigurationKeys.Project.limits)
            _ = try environment.configured { () throws(ConfigurationError) in try ExportSettings(configuration: environment.configuration) }
        case "notify":
            _ = try environment.configured { () throws(ConfigurationError) in try NotifySettings(configuration: environment.configuration) }
        case "web":
            _ = try environment.dashboardSettings(rules: try environment.projectionRules())
        case "backfill":
            _ = try environment.zoomCredentials()
            _ = try environment.zoomRequestRate()
        case "reconcile":
            _ = try environment.zoomCredentials()
            _ = try environment.reconcileOptions()
            _ = try environment.reconcileTolerance()
        case "zoho":
            _ = try environment.configured { () throws(ConfigurationError) in try ZohoSettings(configuration: environment.configuration) }
        default:
            preconditionFailure("validated by the command")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let failure = error as? Failure, case .configuration(let why) = failure { return why }
        return "\(error)"
    }
}

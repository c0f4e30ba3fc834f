import LookoutCore
import ArgumentParser
import Foundation
import ZoomWebhooks

struct Sign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign a webhook body the way Zoom does, and print the headers to send with it.",
        discussion: """
        Example: lookout sign event.json --secret "$SECRET" prints x-zm-request-timestamp and \
        x-zm-signature. The secret defaults to the first of LOOKOUT_ZOOM_SECRET_TOKEN.
        """)

    @Argument(help: "File with the exact body to sign; - for standard input.")
    var file: String = "-"

    @Option(help: "The Zoom app's secret token.")
    var secret: String?

    @Option(help: "Unix seconds to sign with (default: now).")
    var timestamp: Int?

    @Flag(help: "Print a ready-to-run curl command for this URL instead of the headers.")
    var curl = false

    @Option(help: "Receiver URL used with --curl.")
    var url = "http://127.0.0.1:8080/zoom/webhook"

    func run() async throws {
        try await reportingFailures {
            let body = try readInput(file)
            let secret = try secretToken(secret)
            let timestamp = String(timestamp ?? Int(Date().timeIntervalSince1970))
            let signature = WebhookSigner(secretToken: secret).signature(timestamp: timestamp, body: body)
            if curl {
                print("curl -sS -X POST '\(url)' -H 'content-type: application/json' -H 'x-zm-request-timestamp: \(timestamp)' "
                    + "-H 'x-zm-signature: \(signature)' --data-binary @\(file == "-" ? "-" : file)")
            } else {
                print("x-zm-request-timestamp: \(timestamp)")
                print("x-zm-signature: \(signature)")
            }
        }
    }
}

/// Reads a whole file, or standard input for `-`.
func readInput(_ path: String) throws -> [UInt8] {
    if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
    guard let data = FileManager.default.contents(atPath: path) else { throw Failure.input("cannot read \(path)") }
    return Array(data)
}

/// The secret from the command line, else the first configured one.
func secretToken(_ option: String?) throws -> String {
    if let option, !option.isEmpty { return option }
    let environment = Environment()
    let configured = try environment.configured { () throws(ConfigurationError) in
        try environment.configuration.value(ConfigurationKeys.Receive.secretToken)
    }
    guard let first = configured.first else {
        throw Failure.configuration("give --secret, or set \(ConfigurationKeys.Receive.secretToken.name)")
    }
    return first
}

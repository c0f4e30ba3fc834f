import Testing
import MongoStorage
import Foundation
import LookoutTestSupport

/// A MongoDB-wire server of the test's own: fresh data directory, free port, and the test may
/// kill and restart it (same port, same data) to play a store outage.
final class MongoWireServer: @unchecked Sendable {
    let port: Int
    let dataDirectory: URL
    private var process: Process?

    init() throws {
        port = freePort()
        dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-it-mongo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
    }

    var uri: String {
        "mongodb://127.0.0.1:\(port)/lookout?journal=true&serverSelectionTimeoutMS=1500&connectTimeoutMS=1000"
    }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.secantusd!)
        process.arguments = ["--host", "127.0.0.1", "--port", String(port), "--storage-path", dataDirectory.path,
                             "--cache-size", "256M", "--standalone"]
        process.currentDirectoryURL = dataDirectory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let database = try MongoDatabase(uri: uri)
        try await eventually("the MongoDB-wire server answers ping", timeout: .seconds(30)) {
            _ = try await database.command(["ping": 1])
            return true
        }
    }

    /// kill -9: whatever was not on disk is gone, as in a crash.
    func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    func stop() {
        kill()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    deinit { stop() }
}

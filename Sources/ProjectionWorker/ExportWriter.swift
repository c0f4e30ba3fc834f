import MongoStorage
import Foundation
import Logging
import Projections
import ServiceLifecycle

/// Rewrites the export files after projections change, at most once per debounce interval, each
/// file atomically (a temporary file renamed over the old one: readers never see half a file).
/// The rows come from a `ProjectionMirror`: one full read at start and every `fullReadInterval`,
/// else only the documents changed since the previous read, whichever replica changed them. So an
/// export costs what changed plus rendering from memory, not a read of everything ever projected.
public final class ExportWriter: Service, Sendable {
    private let mirror: ProjectionMirror
    private let settings: ExportSettings
    private let rules: ProjectionRules
    private let logger: Logger
    private let changes: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    public init(store: any ProjectionStore, settings: ExportSettings, rules: ProjectionRules, logger: Logger) {
        mirror = ProjectionMirror(store: store, overlap: settings.changeOverlap, fullReadInterval: settings.fullReadInterval,
                                  label: "exports")
        self.settings = settings
        self.rules = rules
        self.logger = logger
        (changes, signal) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    public func markChanged() { signal.yield() }

    public func run() async throws {
        await writeNow()
        for await _ in changes.cancelOnGracefulShutdown() {
            // A shutdown does not wait out the debounce: the final write below follows at once.
            try? await cancelWhenGracefulShutdown { [debounce = settings.debounce] in try await Task.sleep(for: debounce) }
            await writeNow()
        }
        await writeNow()
    }

    /// Writes every export from the current projections; a failure is logged and retried at the next change.
    public func writeNow() async {
        do {
            let refresh = try await mirror.refresh()
            try Self.write(refresh.snapshot, settings: settings, rules: rules)
            logger.debug("exports written", metadata: ["directory": "\(settings.directory.path)",
                                                       "documents_read": "\(refresh.documentsRead)", "full_read": "\(refresh.full)"])
        } catch {
            logger.error("exports not written", metadata: ["error": "\(error)"])
        }
    }

    /// Writes every export file for a snapshot; returns their paths.
    @discardableResult
    public static func write(_ snapshot: ProjectionSnapshot, settings: ExportSettings, rules: ProjectionRules,
                             now: Date = Date()) throws -> [URL] {
        try FileManager.default.createDirectory(at: settings.directory, withIntermediateDirectories: true)
        return try ExportFiles.render(snapshot, settings: settings, rules: rules, now: now).map { file in
            let url = settings.directory.appendingPathComponent(file.name)
            try replace(url, with: file.contents)
            return url
        }
    }

    static func replace(_ url: URL, with contents: Data) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try contents.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}

import Foundation
import Logging
import Metrics
import NIOPosix
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

    public init(store: any ProjectionReader, settings: ExportSettings, rules: ProjectionRules, logger: Logger) {
        mirror = ProjectionMirror(store: store, overlap: settings.changeOverlap, fullReadInterval: settings.fullReadInterval)
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
            refresh.count(reader: "exports")
            // Rendering is work from memory; the writes (directory, temporary files, renames) block,
            // so they run on NIO's blocking pool, not on a thread of the cooperative pool.
            let files = try ExportFiles.render(refresh.snapshot, settings: settings, rules: rules, now: Date())
            _ = try await NIOThreadPool.singleton.runIfActive { [directory = settings.directory] in
                try Self.write(files, to: directory)
            }
            logger.debug("exports written", metadata: ["directory": "\(settings.directory.path)",
                                                       "documents_read": "\(refresh.documentsRead)", "full_read": "\(refresh.full)"])
        } catch {
            logger.error("exports not written", metadata: ["error": "\(error)"])
        }
    }

    /// Writes every export file for a snapshot; returns their paths. Blocks on file I/O: for a
    /// command-line run, not for async code (`writeNow` moves the writes to a blocking thread).
    @discardableResult
    public static func write(_ snapshot: ProjectionSnapshot, settings: ExportSettings, rules: ProjectionRules,
                             now: Date = Date()) throws -> [URL] {
        try write(ExportFiles.render(snapshot, settings: settings, rules: rules, now: now), to: settings.directory)
    }

    /// Replaces each rendered file in `directory` (created if missing); returns their paths. Blocks.
    static func write(_ files: [(name: String, contents: Data)], to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try files.map { file in
            let url = directory.appendingPathComponent(file.name)
            try replace(url, with: file.contents)
            return url
        }
    }

    static func replace(_ url: URL, with contents: Data) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try contents.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            // Best effort: the rename's failure is what is thrown; a temporary file left behind is hidden and harmless.
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}

extension ProjectionMirror.Refresh {
    /// Counts the documents read in `lookout_projection_documents_read_total`, `reader` naming who read.
    public func count(reader: String) {
        Counter(label: "lookout_projection_documents_read_total", dimensions: [("reader", reader), ("read", full ? "full" : "changes")])
            .increment(by: documentsRead)
    }
}

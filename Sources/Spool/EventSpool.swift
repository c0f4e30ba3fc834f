import Foundation
import Logging
import LookoutCore
import NIOPosix
import Synchronization

/// A local, crash-safe holding place for verified events the broker could not take in time.
///
/// Each event is one immutable file: written under a temporary name, fsynced, renamed, and the
/// directory fsynced, before the receiver answers 200. A `kill -9` at any point leaves either
/// the whole event or only a temporary file (never acknowledged to Zoom, which will retry).
/// File names sort by arrival, so the drain republishes oldest first.
public final class EventSpool: Sendable {
    public enum Failure: Error, Equatable, Sendable {
        /// Over the size cap: answer 503 so Zoom retries later.
        case full
        case io(String)
    }

    public struct Entry: Sendable {
        public let file: URL
        public let message: EventMessage
        let size: Int
    }

    private struct Accounting {
        var bytes = 0
        var count = 0
        var sequence: UInt64 = 0
    }

    public let directory: URL
    public let maxBytes: Int
    private let accounting = Mutex(Accounting())
    /// Where files the spool cannot read, set aside or delete are reported: each such event is
    /// held longer or published again, so none of it is silent.
    private let logger: Logger

    /// Opens (or creates) the spool, dropping temporary files a crash left behind.
    public init(directory: URL, maxBytes: Int, logger: Logger = Logger(label: "lookout.spool")) throws {
        self.directory = directory
        self.maxBytes = maxBytes
        self.logger = logger
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var bytes = 0, count = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(name)
            if name.hasPrefix(".tmp-") {
                // Never acknowledged, never read (not `.event`): one left behind only takes room on disk.
                do { try FileManager.default.removeItem(at: url) } catch {
                    logger.warning("spool: cannot remove a crash's temporary file", metadata: ["file": "\(url.path)", "error": "\(error)"])
                }
            } else if name.hasSuffix(".event") {
                do {
                    bytes += try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
                } catch {
                    logger.warning("spool: no size for an event; counted as 0 bytes against the cap",
                                   metadata: ["file": "\(url.path)", "error": "\(error)"])
                }
                count += 1
            }
        }
        accounting.withLock { $0.bytes = bytes; $0.count = count }
    }

    public var count: Int { accounting.withLock { $0.count } }
    public var bytes: Int { accounting.withLock { $0.bytes } }

    /// Whether another event of `size` bytes would fit.
    public func hasRoom(for size: Int = 0) -> Bool { accounting.withLock { $0.bytes + size <= maxBytes } }

    /// Keeps the event durably; returns once it is on disk.
    public func append(_ message: EventMessage) async throws(Failure) {
        let contents = try SpooledEvent.encode(message)
        let sequence = try accounting.withLock { accounting throws(Failure) -> UInt64 in
            guard accounting.bytes + contents.count <= maxBytes else { throw .full }
            accounting.bytes += contents.count
            accounting.count += 1
            accounting.sequence += 1
            return accounting.sequence
        }
        let milliseconds = Int64(Date().timeIntervalSince1970 * 1000)
        let name = String(format: "%013lld-%010llu-%@.event", milliseconds, sequence, String(message.messageID.prefix(16)))
        do {
            try await NIOThreadPool.singleton.runIfActive { [directory] in
                try DurableFile.write(contents, to: directory.appendingPathComponent(name))
            }
        } catch {
            accounting.withLock { $0.bytes -= contents.count; $0.count -= 1 }
            throw .io("\(error)")
        }
    }

    /// The oldest events, up to `limit`. A file that cannot be read as an event is set aside
    /// (renamed `.bad`) so it never blocks the drain. A spool that cannot be read is logged and
    /// gives no events this time (the drain asks again).
    public func oldest(_ limit: Int) async -> [Entry] {
        let directory = directory
        let logger = logger
        let result: ([Entry], [Int])
        do {
            result = try await NIOThreadPool.singleton.runIfActive { () throws -> ([Entry], [Int]) in
                let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                    .filter { $0.hasSuffix(".event") }.sorted().prefix(limit)
                var entries: [Entry] = [], bad: [Int] = []
                for name in names {
                    let url = directory.appendingPathComponent(name)
                    let data: Data
                    do { data = try Data(contentsOf: url) } catch {
                        logger.error("spool: cannot read an event; it stays spooled", metadata: ["file": "\(url.path)", "error": "\(error)"])
                        continue
                    }
                    if let message = SpooledEvent.decode(Array(data)) {
                        entries.append(Entry(file: url, message: message, size: data.count))
                        continue
                    }
                    do {
                        try FileManager.default.moveItem(at: url, to: url.appendingPathExtension("bad"))
                        bad.append(data.count)
                        logger.error("spool: a file is not an event; set aside", metadata: ["file": "\(url.path).bad"])
                    } catch {
                        logger.error("spool: a file is not an event and cannot be set aside", metadata: ["file": "\(url.path)", "error": "\(error)"])
                    }
                }
                return (entries, bad)
            }
        } catch {
            logger.error("spool: cannot list the events", metadata: ["directory": "\(directory.path)", "error": "\(error)"])
            return []
        }
        let (entries, bad) = result
        if !bad.isEmpty { accounting.withLock { $0.bytes -= bad.reduce(0, +); $0.count -= bad.count } }
        return entries
    }

    /// Forgets an event the broker confirmed. One that cannot be deleted is logged: it stays
    /// spooled and is published again (the store takes the copy as a duplicate).
    public func remove(_ entry: Entry) async {
        do {
            try await NIOThreadPool.singleton.runIfActive { try FileManager.default.removeItem(at: entry.file) }
        } catch {
            logger.error("spool: cannot delete a published event; it will be published again",
                         metadata: ["file": "\(entry.file.path)", "error": "\(error)"])
            return
        }
        accounting.withLock { $0.bytes -= entry.size; $0.count -= 1 }
    }
}

import Foundation
import LookoutCore
import LookoutTestSupport
import Testing
@testable import Spool

@Suite struct EventSpoolTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookout-spool-\(UUID().uuidString)")

    func message(_ n: Int) -> EventMessage {
        let body = Array(#"{"event":"meeting.started","n":\#(n),"text":"line\nbreak"}"#.utf8)
        return .test(body, messageID: "id-\(n)", receivedAt: Date(timeIntervalSince1970: 1_795_334_400.123), requestID: "req\n\(n)")
    }

    @Test func keepsEventsByteForByteOldestFirstAcrossARestart() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = try EventSpool(directory: directory, maxBytes: 1 << 20)
        for n in 0..<5 { try await spool.append(message(n)) }
        #expect(spool.count == 5)
        // A crash mid-write leaves only a temporary file: never acknowledged, dropped on open.
        try Data("half".utf8).write(to: directory.appendingPathComponent(".tmp-crashed.event"))

        let reopened = try EventSpool(directory: directory, maxBytes: 1 << 20)
        #expect(reopened.count == 5)
        #expect(reopened.bytes == spool.bytes)
        let entries = await reopened.oldest(10)
        #expect(entries.map(\.message) == (0..<5).map(message))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".tmp-crashed.event").path))

        for entry in entries.prefix(3) { await reopened.remove(entry) }
        #expect(reopened.count == 2)
        #expect(await reopened.oldest(10).map(\.message.messageID) == ["id-3", "id-4"])
    }

    @Test func refusesPastItsCapAndMakesRoomAgain() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let size = try SpooledEvent.encode(message(0)).count
        let spool = try EventSpool(directory: directory, maxBytes: size * 2)
        try await spool.append(message(0))
        try await spool.append(message(1))
        await #expect(throws: EventSpool.Failure.full) { try await spool.append(message(2)) }
        #expect(!spool.hasRoom(for: 1))
        await spool.remove(await spool.oldest(1)[0])
        try await spool.append(message(2))
        #expect(spool.count == 2)
    }

    @Test func setsAsideAFileItCannotRead() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = try EventSpool(directory: directory, maxBytes: 1 << 20)
        try await spool.append(message(1))
        try Data("not a spooled event".utf8).write(to: directory.appendingPathComponent("0000000000000-0000000000-broken.event"))
        let reopened = try EventSpool(directory: directory, maxBytes: 1 << 20)
        #expect(reopened.count == 2)
        #expect(await reopened.oldest(10).map(\.message.messageID) == ["id-1"])
        #expect(reopened.count == 1)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("0000000000000-0000000000-broken.event.bad").path))
    }
}

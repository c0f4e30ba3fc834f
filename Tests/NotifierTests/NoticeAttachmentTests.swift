import Foundation
import LookoutTestSupport
import Testing
@testable import Notifier
import ZoomModel

@Suite struct NoticeAttachmentTests {
    @Test func aJoinReadsAtAGlance() throws {
        let attachment = MessageAttachment.notice(try Fixture.notice("participant_joined"), style: utc)
        #expect(attachment == MessageAttachment(
            fallback: "Jill Chill joined · Biology 101 — Lecture",
            color: "#2E9E5B",
            text: "**Jill Chill** joined",
            authorName: "Jill Chill",
            title: "Biology 101 — Lecture",
            fields: [.init(title: "Meeting ID", value: "850 1234 5678", short: true),
                     .init(title: "Joined at", value: "2026-11-22 08:01:02 GMT", short: true)],
            footer: "Lookout · Zoom webhook"))
    }

    @Test func aDisconnectionSaysWhenWhyAndHowLong() throws {
        var event = try Fixture.event("participant_left")
        event.participant?.leaveReason = "Jill Chill left the meeting. Reason : Network connection error."
        let attachment = MessageAttachment.notice(Notice(kind: NoticeKind(event), event: event, source: .webhook, timeInRoom: 2598), style: utc)
        #expect(attachment.color == NoticeKind.disconnected.color)
        #expect(attachment.text == "**Jill Chill** got disconnected")
        #expect(attachment.fields == [
            .init(title: "Meeting ID", value: "850 1234 5678", short: true),
            .init(title: "Disconnected at", value: "2026-11-22 08:44:20 GMT", short: true),
            .init(title: "Time in room", value: "43 min 18 s", short: true),
            .init(title: "Leave reason", value: "Network connection error", short: false),
        ])
    }

    /// `Client Close` says "got disconnected" but means the app was closed: a leave, reason shown.
    @Test func aClosedAppIsALeaveThatSaysWhy() throws {
        let attachment = MessageAttachment.notice(try Fixture.notice("participant_left", timeInRoom: 2598), style: utc)
        #expect(attachment.color == NoticeKind.left.color)
        #expect(attachment.text == "**Jill Chill** left")
        #expect(attachment.fields?.last == .init(title: "Leave reason", value: "got disconnected from the meeting \\(Client Close\\)", short: false))
        let other = MessageAttachment.notice(try Fixture.notice("participant_left_client_close"), style: utc)
        #expect(other.text == "**李小龍** left")
        #expect(other.fields?.last == .init(title: "Leave reason", value: "Client Close", short: false))
    }

    @Test func aLeaveInZoomsDocumentedFormShowsItsReason() throws {
        let attachment = MessageAttachment.notice(try Fixture.notice("participant_left_doc_br"), style: utc)
        #expect(attachment.text == "**Jill Chill** left")
        #expect(attachment.fields?.last == .init(title: "Leave reason", value: "Host ended the meeting", short: false))
    }

    @Test func aMoveSaysWhereAndNoLeaveReasonAndANameShowsNoStrayBackslash() throws {
        let leave = try Fixture.event("participant_left_move_plain"), join = try Fixture.event("participant_joined_after_move")
        let moved = Notice(kind: .moved, event: leave, source: .webhook, rejoin: join.participant)
        let attachment = MessageAttachment.notice(moved, style: utc)
        #expect(attachment.text == "**Tom & Jerry** moved between rooms")
        #expect(attachment.fallback == "Tom & Jerry moved between rooms · Chemistry 2B")
        #expect(attachment.color == NoticeKind.moved.color)
        #expect(attachment.fields == [
            .init(title: "Meeting ID", value: "867 1234 5678", short: true),
            .init(title: "Moved at", value: "2026-08-30 09:00:49 GMT", short: true),
        ])
    }

    @Test func aReconnectSaysHowLongThePersonWasAwayAndWhy() throws {
        let leave = try ZoomEvent.decode(ZoomBodies.left("Ada", at: zoomTime(second: 10), reason: "Network connection error."))
        let join = try ZoomEvent.decode(ZoomBodies.joined("Ada", participantUUID: "Ada-uuid-2", at: zoomTime(second: 17)))
        let attachment = MessageAttachment.notice(Notice(kind: .reconnected, event: leave, source: .webhook, rejoin: join.participant), style: utc)
        #expect(attachment.text == "**Ada** reconnected")
        #expect(attachment.color == NoticeKind.reconnected.color)
        #expect(attachment.fields == [
            .init(title: "Meeting ID", value: "850 1234 5678", short: true),
            .init(title: "Reconnected at", value: "2026-11-22 08:01:17 GMT", short: true),
            .init(title: "Away", value: "7 s", short: true),
            .init(title: "Leave reason", value: "Network connection error", short: false),
        ])
    }

    @Test func aGroupOfMovesSaysWhereWhenTheyAllWentOneWay() throws {
        func moved(_ name: String, _ reason: String) throws -> Notice {
            Notice(kind: .moved, event: try ZoomEvent.decode(ZoomBodies.left(name, at: zoomTime(second: 2), reason: reason)), source: .webhook)
        }
        let out = try ["A", "B", "C"].map { try moved($0, "left the meeting to join breakout room") }
        #expect(MessageAttachment.group(out, style: utc).text == "**3 moved to a breakout room**: A, B, C")
        let mixed = out + [try moved("D", "left the meeting leave breakout room to join main meeting")]
        #expect(MessageAttachment.group(mixed, style: utc).text == "**4 moved between rooms**: A, B, C, D")
    }

    @Test func aGroupOfReconnectsCountsEachPersonOnce() throws {
        var notices: [Notice] = []
        for (index, name) in ["A", "B", "C", "D", "E", "A"].enumerated() {
            let leave = try ZoomEvent.decode(ZoomBodies.left(name, participantUUID: "\(name)-\(index)", at: zoomTime(second: 10), reason: "Network connection error."))
            let join = try ZoomEvent.decode(ZoomBodies.joined(name, participantUUID: "\(name)-\(index + 10)", at: zoomTime(second: 12)))
            notices.append(Notice(kind: .reconnected, event: leave, source: .webhook, rejoin: join.participant))
        }
        let attachment = MessageAttachment.group(notices, style: utc)
        #expect(attachment.text == "**5 reconnected**: A, B, C, D, E")
        #expect(attachment.fields?.last == .init(title: "Leave reasons", value: "Network connection error ×6", short: false))
    }

    @Test func timesAreShownInTheRoutesTimeZone() throws {
        let paris = NoticeStyle(localTime: LocalTime(timeZone: TimeZone(identifier: "Europe/Paris")!))
        let attachment = MessageAttachment.notice(try Fixture.notice("participant_joined"), style: paris)
        #expect(attachment.fields?.last?.value.hasPrefix("2026-11-22 09:01:02 ") == true)
    }

    @Test(arguments: [
        ("participant_joined_waiting_room", "**Ada Lovelace** is in the waiting room", "Waiting since", "2026-11-22 07:59:30 GMT"),
        ("participant_admitted", "**Ada Lovelace** was admitted", "Admitted at", "2026-11-22 08:00:12 GMT"),
        ("participant_left_breakout", "**Ada Lovelace** moved to a breakout room", "Moved at", "2026-11-22 08:10:00 GMT"),
        ("sharing_started", "**Jill Chill** started sharing", "Sharing since", "2026-11-22 08:10:00 GMT"),
        ("sharing_ended", "**Jill Chill** stopped sharing", "Stopped at", "2026-11-22 08:20:00 GMT"),
        ("meeting_started", "**Meeting started**", "Started at", "2026-11-22 08:00:00 GMT"),
        ("meeting_ended", "**Meeting ended**", "Ended at", "2026-11-22 09:00:00 GMT"),
        ("meeting_alert", "**Meeting alert**", "Time", "2026-11-22 08:15:00 GMT"),
        ("unknown_event", "Zoom event `meeting.participant_role_changed`", "Time", "2026-11-22 08:25:00 GMT"),
    ])
    func everyKindHasItsWordsAndTime(fixture: String, text: String, timeTitle: String, time: String) throws {
        let notice = try Fixture.notice(fixture)
        let attachment = MessageAttachment.notice(notice, style: utc)
        #expect(attachment.text == text)
        #expect(attachment.color == notice.kind.color)
        #expect(attachment.title == "Biology 101 — Lecture")
        #expect(attachment.fields?.first == .init(title: "Meeting ID", value: "850 1234 5678", short: true))
        #expect(attachment.fields?.contains(.init(title: timeTitle, value: time, short: true)) == true)
        #expect(!attachment.fallback.isEmpty && !attachment.fallback.contains("\n"))
        #expect((attachment.footer?.count ?? 0) <= MessageAttachment.footerLimit)
    }

    @Test func kindSpecificFields() throws {
        let ended = MessageAttachment.notice(try Fixture.notice("meeting_ended"), style: utc)
        #expect(ended.fields?.contains(.init(title: "Duration", value: "1 h", short: true)) == true)
        let started = MessageAttachment.notice(try Fixture.notice("meeting_started"), style: utc)
        #expect(started.fields?.contains(.init(title: "Scheduled for", value: "1 h", short: true)) == true)
        let sharing = MessageAttachment.notice(try Fixture.notice("sharing_started"), style: utc)
        #expect(sharing.fields?.contains(.init(title: "Content", value: "application", short: true)) == true)
        let alert = MessageAttachment.notice(try Fixture.notice("meeting_alert"), style: utc)
        #expect(alert.fields?.last == .init(title: "Issues", value: "Unstable audio quality\nUnstable video quality", short: false))
        #expect(alert.fallback == "Meeting alert · Biology 101 — Lecture: Unstable audio quality; Unstable video quality")
    }

    @Test func anIncidentCountsAndNamesWhoWasCaught() throws {
        var style = utc
        style.maxNames = 2
        let attachment = MessageAttachment.notice(try Fixture.notice("incident_collective_disconnection", source: .projection), style: style)
        #expect(attachment.text == "**3 participants disconnected together**")
        #expect(attachment.fallback == "3 participants disconnected together · Biology 101 — Lecture")
        #expect(attachment.color == NoticeKind.incident.color)
        #expect(attachment.fields == [
            .init(title: "Meeting ID", value: "850 1234 5678", short: true),
            .init(title: "Between", value: "08:44:20–08:44:50 GMT", short: true),
            .init(title: "Participants", value: "3", short: true),
            .init(title: "Who", value: "Jill Chill, Ada Lovelace and 1 more", short: false),
        ])
        #expect(attachment.footer == "Lookout · incident")
    }

    @Test func theTitleLinksToTheMeetingWhenAJoinURLIsKnown() throws {
        var style = utc
        style.joinURL = "https://zoom.us/j/85012345678"
        #expect(MessageAttachment.notice(try Fixture.notice("meeting_started"), style: style).titleLink == "https://zoom.us/j/85012345678")
        style.joinURL = "javascript:alert(1)"
        #expect(MessageAttachment.notice(try Fixture.notice("meeting_started"), style: style).titleLink == nil)
    }

    @Test func aGroupCountsPeopleOnceAndCapsTheNames() throws {
        var notices = try (1...14).map { try joinedNotice("Student \($0)") }
        notices.append(try joinedNotice("Student 3")) // rejoined within the window
        var style = utc
        style.maxNames = 10
        let attachment = MessageAttachment.group(notices, style: style)
        let names = (1...10).map { "Student \($0)" }.joined(separator: ", ")
        #expect(attachment.text == "**14 joined**: \(names) and 4 more")
        #expect(attachment.fallback == "14 joined · Biology 101: \(names) and 4 more")
        #expect(attachment.fields == [
            .init(title: "Meeting ID", value: "850 1234 5678", short: true),
            .init(title: "Joined at", value: "2026-11-22 08:01:02 GMT", short: true),
            .init(title: "Participants", value: "14", short: true),
        ])
    }

    @Test func aGroupOverTimeGivesItsSpan() throws {
        let notices = try [2, 40].map { second in
            Notice(kind: .joined, event: try ZoomEvent.decode(ZoomBodies.joined("P\(second)", at: zoomTime(second: second))), source: .webhook)
        }
        let attachment = MessageAttachment.group(notices, style: utc)
        #expect(attachment.fields?.contains(.init(title: "Between", value: "08:01:02–08:01:40 GMT", short: true)) == true)
    }

    @Test func aGroupOfOneIsAnOrdinaryNotice() throws {
        let notice = try Fixture.notice("participant_joined")
        #expect(MessageAttachment.group([notice], style: utc) == MessageAttachment.notice(notice, style: utc))
    }

    @Test func aGroupOfDisconnectionsSummarisesTheReasons() throws {
        let left = try Fixture.event("participant_left")
        let notices = (1...3).map { index -> Notice in
            var event = left
            event.participant?.participantUUID = "p\(index)"
            event.participant?.name = "P\(index)"
            if index == 3 { event.participant?.leaveReason = "P3 left the meeting. Reason : Network connection error." }
            return Notice(kind: .disconnected, event: event, source: .webhook)
        }
        let attachment = MessageAttachment.group(notices, style: utc)
        #expect(attachment.text == "**3 got disconnected**: P1, P2, P3")
        #expect(attachment.fields?.last == .init(title: "Leave reasons", value: "got disconnected from the meeting \\(Client Close\\) ×2\nNetwork connection error ×1", short: false))
    }

    @Test func thePostEncodesWithoutTsOrAbsentFields() throws {
        let post = MattermostPost(channel: "town-square", attachments: [MessageAttachment.notice(try Fixture.notice("participant_joined"), style: utc)])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(post)) as? [String: Any])
        #expect(Set(object.keys) == ["channel", "attachments"])
        let attachment = try #require((object["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["ts"] == nil)
        #expect(Set(attachment.keys) == ["fallback", "color", "text", "author_name", "title", "fields", "footer"])
    }
}

import Foundation
import LookoutCore
import LookoutTestSupport
import Testing
@testable import Notifier
import ZoomModel

/// Reconciliation's joins and leaves are history, told by one "filled in" line per meeting.
@Suite struct RepairNoticeTests {
    let rules = NotifyRules(hooks: ["chat": Hook(name: "chat", url: WebhookURL("https://x/hooks/1"))],
                            routes: [Route(name: "all", hooks: ["chat"], style: utc)], unmatched: nil)
    let events = ["meeting.participant_joined", "meeting.participant_left", "lookout.reconcile.repaired"]

    func reconciled(_ tag: UInt64, body: [UInt8], routingKey: String) -> Delivery {
        .test(tag, body: body, routingKey: routingKey, source: .reconcile)
    }

    @Test func aJoinFilledInAfterTheMeetingIsNotPostedAsAJoin() {
        var planner = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        guard case .skip(let why) = planner.plan(reconciled(1, body: ZoomBodies.joined("Ada"), routingKey: "meeting.participant_joined")) else {
            Issue.record("a filled-in join was planned for posting")
            return
        }
        #expect(why.contains("repair summary"))
        // The same join from a webhook is posted.
        guard case .post = planner.plan(Delivery.test(2, body: ZoomBodies.joined("Ada"))) else { Issue.record("a webhook join was not posted"); return }
    }

    @Test func theRepairSummaryIsOneLineWithWhatWasFilledIn() throws {
        let event = ZoomEvent(name: ZoomEventName.dataRepaired, eventTS: 1_795_338_000_000,
                              meeting: ZoomEvent.Meeting(id: "85012345678", uuid: "u1", topic: "Biology 101"),
                              repair: ZoomEvent.Repair(sessionsFilled: 2, factsFilled: 3, conflicts: 1, source: "dashboard"))
        #expect(try ZoomEvent.decode(try event.encoded()) == event)
        var planner = NoticePlanner(rules: rules, events: events, pseudonyms: nil)
        guard case .post(let notices) = planner.plan(reconciled(1, body: try event.encoded(), routingKey: ZoomEventName.dataRepaired)) else {
            Issue.record("the repair summary was not planned")
            return
        }
        #expect(notices.map(\.notice.kind) == [.repaired])
        let attachment = MessageAttachment.notice(notices[0].notice, style: utc)
        #expect(attachment.text == "**3 joins and leaves filled in from Zoom's dashboard record**")
        #expect(attachment.fields?.contains { $0.title == "Sessions repaired" && $0.value == "2" } == true)
        #expect(attachment.fields?.contains { $0.title == "Times differing (webhook kept)" && $0.value == "1" } == true)
    }
}

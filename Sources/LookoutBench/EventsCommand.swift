import ArgumentParser
import Foundation
import ZoomModel

/// The events ops/chaos and ops/cluster-test replay through the whole stack: N distinct
/// participants joining and leaving `meetings` meetings (even indexes join, the next odd one
/// leaves), an hour ago. A participant's leave comes 30 s after its join with the same
/// `participant_uuid`; `run` names the account and prefixes every name, so the verdicts can count
/// this run's events (`payload.account_id`) and notices (`<run>-<n>`) alone.
struct JoinLeaveEvents {
    var run: String
    var firstMeeting: Int64
    var firstUserID: Int64
    var meetings = 20
    /// Unix seconds the events are placed around (an hour before).
    var now: Int64

    func event(_ index: Int) -> ZoomEvent {
        let person = Int64(index / 2), leaves = index % 2 == 1
        let meeting = String(firstMeeting + person % Int64(max(1, meetings)))
        let name = "\(run)-\(person)"
        let time = Date(timeIntervalSince1970: TimeInterval(now - 3600 + person + (leaves ? 30 : 0)))
        let participant = ZoomEvent.Participant(
            name: name, email: "", userID: String(firstUserID + person), id: "", participantUUID: name,
            joinTime: leaves ? nil : time, leaveTime: leaves ? time : nil,
            leaveReason: leaves ? "\(name) left the meeting. Reason : left the meeting" : nil)
        return ZoomEvent(name: leaves ? "meeting.participant_left" : "meeting.participant_joined",
                         eventTS: (now - 3600) * 1000 + Int64(index), accountID: run,
                         meeting: ZoomEvent.Meeting(id: meeting, uuid: "\(run)-\(meeting)", topic: "\(run.capitalized) class \(meeting)"),
                         participant: participant)
    }

    func events(count: Int) -> [ZoomEvent] { (0..<count).map(event) }
}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print distinct join/leave webhook bodies, one JSON object a line (ops/chaos, ops/cluster-test).",
        discussion: """
            Participant <run>-<n> joins meeting FIRST_MEETING + n % MEETINGS an hour ago and leaves it 30 s \
            later (a leave in the same second as its join would be a room move). Unsigned: `lookout replay` \
            signs them as it sends them.
            """)

    @Option(help: "How many events (joins and leaves).") var count: Int
    @Option(name: .customLong("run"), help: "Account id and name prefix of this run's events, e.g. chaos.") var runName: String
    @Option(help: "The first meeting number.") var firstMeeting: Int64
    @Option(help: "The first participant's user_id.") var firstUserID: Int64
    @Option(help: "How many meetings the participants are spread over.") var meetings = 20
    @Option(help: "Unix seconds to place the events around (default: now).") var now: Int64?

    func validate() throws {
        guard count >= 0, meetings > 0 else { throw ValidationError("--count must be ≥ 0 and --meetings > 0") }
    }

    func run() throws {
        let generator = JoinLeaveEvents(run: runName, firstMeeting: firstMeeting, firstUserID: firstUserID, meetings: meetings,
                                        now: now ?? Int64(Date().timeIntervalSince1970))
        var buffer: [UInt8] = []
        for index in 0..<count {
            buffer += try generator.event(index).encoded()
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count > 1 << 16 { FileHandle.standardOutput.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
        }
        FileHandle.standardOutput.write(Data(buffer))
    }
}

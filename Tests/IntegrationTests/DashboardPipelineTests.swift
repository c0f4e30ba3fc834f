import Dashboard
import MongoStorage
import Foundation
import CurlHTTP
import LookoutTestSupport
import ProjectionWorker
import Projections
import Synchronization
import Testing
import ZoomWebhooks

extension DemoClass {
    static let biology = "85012345678"
    /// Events up to Grace Hopper's return at 08:31: six people in the room, three drops behind them.
    static let firstHalf = 17

    /// The recorded class moved in time so that its 08:35 (class time) is `now`: the class is on.
    static func happeningNow(_ now: Date = Date()) throws -> [[UInt8]] {
        let offset = now.timeIntervalSince(try Date("2026-11-22T08:35:00Z", strategy: .iso8601))
        return try bodies().map { try shifted($0, by: offset) }
    }

    static func shifted(_ body: [UInt8], by offset: TimeInterval) throws -> [UInt8] {
        func move(_ text: Any?) -> Any? {
            (text as? String).flatMap { try? Date($0, strategy: .iso8601) }.map { $0.addingTimeInterval(offset).formatted(.iso8601) }
        }
        var event = try JSONSerialization.jsonObject(with: Data(body)) as! [String: Any]
        event["event_ts"] = (event["event_ts"] as! Int) + Int(offset * 1000)
        var payload = event["payload"] as! [String: Any]
        var object = payload["object"] as! [String: Any]
        for key in ["start_time", "end_time"] { if let moved = move(object[key]) { object[key] = moved } }
        if var participant = object["participant"] as? [String: Any] {
            for key in ["join_time", "leave_time"] { if let moved = move(participant[key]) { participant[key] = moved } }
            object["participant"] = participant
        }
        payload["object"] = object
        event["payload"] = payload
        return Array(try JSONSerialization.data(withJSONObject: event))
    }

    /// A signed join as Zoom would send it now.
    static func joinNow(_ name: String, uuid: String) -> String {
        let now = Date().formatted(.iso8601)
        return #"{"event":"meeting.participant_joined","event_ts":\#(Int(Date().timeIntervalSince1970 * 1000)),"payload":{"account_id":"DemoAccount01","object":{"id":"85012345678","uuid":"Dm0LookoutDemoMtg==","host_id":"hDemoHost01","topic":"Biology 101 — Demo lecture","type":2,"start_time":"\#(now)","timezone":"Europe/Paris","duration":60,"participant":{"user_id":"1","user_name":"\#(name)","id":"","participant_uuid":"\#(uuid)","email":"","join_time":"\#(now)"}}}}"#
    }
}

/// GET a URL and decode its JSON body.
func getJSON(_ url: String) async throws -> [String: Any] {
    let response = try await CurlTransport().send(OutboundRequest(url: url, method: "GET"))
    return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
}

func get(_ url: String) async throws -> OutboundResponse {
    try await CurlTransport().send(OutboundRequest(url: url, method: "GET"))
}

/// Names in the room now, per the JSON API.
func namesInRoom(_ base: String, meeting: String = DemoClass.biology) async throws -> Set<String> {
    let rooms = try await getJSON(base + "/api/room?meeting=\(meeting)")["rooms"] as? [[String: Any]] ?? []
    return Set((rooms.first?["in_room"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
}

/// A Server-Sent Events client as a browser would hold it open (python3's urllib, line by line).
final class EventStreamReader: @unchecked Sendable {
    private let process = Process()
    private let received = Mutex("")
    private var output: Pipe?

    init(_ url: String) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", """
            import sys, urllib.request
            for line in urllib.request.urlopen(sys.argv[1], timeout=60): print(line.decode(), end="", flush=True)
            """, url]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        output.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            received.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        self.output = output
        try process.run()
    }

    var text: String { received.withLock { $0 } }
    var isOpen: Bool { process.isRunning }

    /// The versions announced so far.
    var versions: [Int64] {
        text.components(separatedBy: "\n\n").compactMap { event in
            event.hasPrefix("event: version\ndata: ") ? Int64(event.dropFirst("event: version\ndata: ".count)) : nil
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        output?.fileHandleForReading.readabilityHandler = nil
    }
}

/// The dashboard's integration suites, one at a time: each starts a whole stack, and several at
/// once on a small shared machine only make every integration test slower.
@Suite(.enabled(if: TestEnvironment.available), .serialized)
enum DashboardIntegration {}

extension DashboardIntegration {
    @Suite struct PipelineTests {
        @Test func aRecordedClassThroughThePipelineShowsTheRightPeople() async throws { try await withPipeline { pipeline in
            try await pipeline.startReceiver()
            pipeline.startStoreWorker()
            pipeline.startProjectWorker()
            let (web, _) = try await pipeline.startWeb()
            let bodies = try DemoClass.bodies()
            for body in bodies.prefix(DemoClass.firstHalf) { #expect(try await pipeline.post(String(decoding: body, as: UTF8.self)) == 200) }

            let present: Set = ["Ada Lovelace", "@channel **Guest** <b>", "Edsger Dijkstra", "Alan Turing", "Katherine Johnson", "Grace Hopper"]
            // The room looks right before the drops behind it are projected, and a batch the store
            // was slow with goes back to the queue behind later ones: wait for every drop and the incident.
            try await eventually("the first half of the class is projected", timeout: .seconds(90)) {
                let stability = try await getJSON(web + "/api/stability?from=2026-11-22&to=2026-11-22")
                let people = stability["participants"] as? [[String: Any]] ?? []
                let grace = people.first { $0["name"] as? String == "Grace Hopper" }
                return try await namesInRoom(web) == present && grace?["longest_away_seconds"] as? Int == 620
                    && people.count == 3 && (stability["incidents"] as? [[String: Any]])?.count == 1
            }
            let page = try await get(web + "/room").text
            #expect(page.contains("6 in the room"))
            #expect(page.contains("@channel **Guest** &lt;b&gt;"))
            let stability = try await getJSON(web + "/api/stability?from=2026-11-22&to=2026-11-22")
            let unstable = (stability["participants"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(Set(unstable ?? []) == ["Alan Turing", "Katherine Johnson", "Grace Hopper"])
            #expect((stability["incidents"] as? [[String: Any]])?.count == 1)

            for body in bodies.dropFirst(DemoClass.firstHalf) { #expect(try await pipeline.post(String(decoding: body, as: UTF8.self)) == 200) }
            // The meeting and the presence rows are separate writes: a snapshot read between them
            // shows the meeting over with people still in, so wait for both.
            try await eventually("the class is over and everyone has left", timeout: .seconds(90)) {
                let meeting = (try await getJSON(web + "/api/meetings?from=2026-11-22&to=2026-11-22")["meetings"] as? [[String: Any]])?.first
                guard meeting?["duration_seconds"] as? Int == 3600 else { return false }
                return try await namesInRoom(web).isEmpty
            }
            let meeting = try #require((try await getJSON(web + "/api/meetings?from=2026-11-22&to=2026-11-22")["meetings"] as? [[String: Any]])?.first)
            #expect(meeting["peak_participants"] as? Int == 6)
            let csv = try await get(web + "/exports/zoom-room-dashboard.csv")
            #expect(csv.status == 200)
            #expect(csv.text.contains(#""Alan Turing","<i class=""fa-solid fa-toggle-off""></i>","2026-11-22-08:01:31","2026-11-22-08:59:50""#))
            #expect(try await MongoProjectionStore(database: pipeline.database).changeVersion() > 0)
        } }

        @Test func anOpenEventStreamHearsOfEachChangeAndEndsOnShutdown() async throws { try await withPipeline { pipeline in
            try await pipeline.startReceiver()
            pipeline.startStoreWorker()
            pipeline.startProjectWorker()
            let (web, group) = try await pipeline.startWeb()
            let stream = try EventStreamReader(web + "/events")
            defer { stream.stop() }
            try await eventually("the stream announces the current version") { stream.versions == [0] }

            #expect(try await pipeline.post(joinedEvent("Barbara Liskov")) == 200)
            try await eventually("the join is announced") { stream.versions.count == 2 }
            #expect(try await namesInRoom(web) == ["Barbara Liskov"])

            let clock = ContinuousClock()
            let started = clock.now
            await pipeline.stop(group)
            #expect(clock.now - started < .seconds(5))
            try await eventually("the stream is closed by the server") { !stream.isOpen }
        } }
    }

    @Suite struct ChangeMarkerTests {
        /// The web polls this one document instead of the projections: it must move with every
        /// batch that changes them, and only then.
        @Test func theMarkerMovesWhenABatchChangesProjections() async throws {
            let mongo = try MongoWireServer()
            try await mongo.start()
            defer { mongo.stop() }
            let store = MongoProjectionStore(database: try MongoDatabase(uri: mongo.uri))
            let pass = ProjectionPass(store: store, rules: ProjectionRules(), announcer: nil)
            #expect(try await store.changeVersion() == 0)

            let inputs = try DemoClass.bodies().map { try ProjectionInput.from(body: $0, id: IdempotencyKey.of($0), rules: ProjectionRules()) }
            try await pass.apply(inputs.filter { if case .ignored = $0 { true } else { false } })
            #expect(try await store.changeVersion() == 0)
            try await pass.apply([inputs[0]]) // meeting.started: no participant touched, the meetings list changed
            #expect(try await store.changeVersion() == 1)
            try await pass.apply(Array(inputs[1...5]))
            #expect(try await store.changeVersion() == 2)
            #expect(try await store.snapshot().presence.count == 5)
        }
    }
}

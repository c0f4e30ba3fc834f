import Foundation
import LookoutCore
import Logging
import OutboundHTTP
import Synchronization
import Testing
import ZoomAPI

/// Answers requests from a script, in order, and keeps what was asked.
private final class ScriptedTransport: HTTPTransport {
    private let state: Mutex<(answers: [(Int, String)], requests: [OutboundRequest])>

    init(_ answers: [(Int, String)]) { state = Mutex((answers, [])) }

    var requests: [OutboundRequest] { state.withLock { $0.requests } }

    func send(_ request: OutboundRequest) async throws(TransportError) -> OutboundResponse {
        let answer = state.withLock { state -> (Int, String)? in
            state.requests.append(request)
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
        guard let answer else { throw TransportError(message: "script exhausted") }
        return OutboundResponse(status: answer.0, body: Array(answer.1.utf8))
    }
}

private func client(_ transport: ScriptedTransport, attempts: Int = 4) -> ZoomAPIClient {
    var options = ZoomAPIClient.Options()
    options.requestsPerSecond = 1000
    options.retry = Backoff(initial: .milliseconds(1), maximum: .milliseconds(2))
    options.attempts = attempts
    return ZoomAPIClient(credentials: ZoomCredentials(accountID: "acc", clientID: "id", clientSecret: "secret",
                                                      apiURL: "http://zoom.test", oauthURL: "http://zoom.test/oauth/token"),
                         transport: transport, options: options, logger: Logger(label: "test"))
}

private func token(_ value: String) -> (Int, String) { (200, #"{"access_token":"\#(value)","token_type":"bearer","expires_in":3600}"#) }

@Suite struct ZoomAPIClientTests {
    @Test func followsPagesReissuesAnExpiredTokenAndRetries429And5xx() async throws {
        let transport = ScriptedTransport([
            token("t1"),
            (200, #"{"meetings":[{"uuid":"a==","id":1,"topic":"A"}],"next_page_token":"p2"}"#),
            (401, #"{"code":124,"message":"Access token is expired."}"#),
            token("t2"),
            (429, #"{"code":429,"message":"You have reached the maximum per-second rate limit."}"#),
            (503, ""),
            (200, #"{"meetings":[{"uuid":"b==","id":"2","topic":"B"}],"next_page_token":""}"#),
        ])
        let meetings = try await MeetingHistory(client: client(transport), pageSize: 1).pastMeetings(from: "2026-11-01", to: "2026-11-30")
        #expect(meetings.map(\.id) == ["1", "2"])
        let requests = transport.requests
        #expect(requests.count == 7)
        #expect(requests[0].method == "POST")
        #expect(String(decoding: requests[0].body, as: UTF8.self) == "grant_type=account_credentials&account_id=acc")
        #expect(requests[0].headers.contains { $0.name == "Authorization" && $0.value == "Basic " + Data("id:secret".utf8).base64EncodedString() })
        #expect(requests[1].url == "http://zoom.test/v2/metrics/meetings?type=past&from=2026-11-01&to=2026-11-30&page_size=1")
        #expect(requests[1].headers.contains { $0.name == "Authorization" && $0.value == "Bearer t1" })
        #expect(requests[2].url.hasSuffix("&page_size=1&next_page_token=p2"))
        #expect(requests[4...6].allSatisfy { $0.headers.contains { $0.name == "Authorization" && $0.value == "Bearer t2" } })
    }

    @Test func typedErrorsForWhatRetryingCannotFix() async throws {
        let refused = ScriptedTransport([(401, #"{"reason":"Invalid client_id or client_secret","error":"invalid_client"}"#)])
        await #expect(throws: ZoomAPIError.authenticationFailed(status: 401, message: "Invalid client_id or client_secret")) {
            _ = try await MeetingHistory(client: client(refused)).pastMeetings(from: "2026-11-01", to: "2026-11-30")
        }
        let storm = ScriptedTransport([token("t")] + Array(repeating: (429, "{}"), count: 3))
        await #expect(throws: ZoomAPIError.rateLimited) {
            _ = try await MeetingHistory(client: client(storm, attempts: 3)).pastMeetings(from: "2026-11-01", to: "2026-11-30")
        }
        // A stale token is replaced up to three times; a fourth refusal blames the credentials.
        let scopeless = ScriptedTransport([token("t"), (401, "{}"), token("u"), (401, "{}"), token("v"), (401, "{}"),
                                           token("w"), (401, #"{"code":4711,"message":"Invalid access token, does not contain scopes"}"#)])
        await #expect(throws: ZoomAPIError.unauthorized(message: "Invalid access token, does not contain scopes")) {
            _ = try await MeetingHistory(client: client(scopeless)).pastMeetings(from: "2026-11-01", to: "2026-11-30")
        }
    }

    @Test func fallsBackToTheReportAPIWhenThePlanHasNoDashboard() async throws {
        let transport = ScriptedTransport([
            token("t"),
            (400, #"{"code":200,"message":"Dashboard feature has not been enabled for this account."}"#),
            (200, #"{"participants":[{"id":"","user_id":"16778240","name":"Ada Lovelace","user_email":"","join_time":"2026-11-22T08:01:02Z","leave_time":"2026-11-22T09:00:00Z"}],"next_page_token":""}"#),
        ])
        let participants = try await MeetingHistory(client: client(transport)).participants(meetingUUID: "Dm0==")
        #expect(participants.map(\.name) == ["Ada Lovelace"])
        #expect(transport.requests[1].url == "http://zoom.test/v2/metrics/meetings/Dm0%3D%3D/participants?type=past&page_size=300")
        #expect(transport.requests[2].url == "http://zoom.test/v2/report/meetings/Dm0%3D%3D/participants?page_size=300")
    }

    @Test func credentialsNeverShowTheSecret() {
        let credentials = ZoomCredentials(accountID: "acc", clientID: "id", clientSecret: "s3cr3t")
        #expect(!"\(credentials)".contains("s3cr3t"))
    }
}

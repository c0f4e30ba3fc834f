import Foundation
import LookoutCore
import LookoutTestSupport
import Logging
import CurlHTTP
import Synchronization
import Testing
import ZoomAPI
import ZoomModel

extension ScriptedTransport {
    /// The Zoom API calls (not token requests).
    var apiRequests: [OutboundRequest] { requests.filter { $0.method == "GET" } }
}

private func client(_ transport: ScriptedTransport, attempts: Int = 4, limits: ZoomRateLimits? = nil,
                    usage: any ZoomUsageLedger = InMemoryUsageLedger(), now: @escaping @Sendable () -> Date = Date.init) -> ZoomAPIClient {
    var options = ZoomAPIClient.Options()
    options.limits = limits ?? fast()
    options.retry = RetryPolicy(initial: .milliseconds(1), maximum: .milliseconds(2), attempts: attempts)
    return ZoomAPIClient(credentials: ZoomCredentials(accountID: "acc", clientID: "id", clientSecret: "secret",
                                                      apiURL: "http://zoom.test", oauthURL: "http://zoom.test/oauth/token"),
                         transport: transport, options: options, usage: usage, now: now, logger: Logger(label: "test"))
}

/// Every class at 1000 per (shrunk) window: no waiting in tests that are not about pacing.
private func fast(dailyCap: Int? = nil) -> ZoomRateLimits {
    var limits = ZoomRateLimits(plan: .business, dailySharePercent: 100)
    for rateClass in ZoomRateClass.allCases { limits.rates[rateClass] = .init(1000, per: .second) }
    limits.minute = .seconds(1)
    limits.dailyCapOverride = dailyCap
    return limits
}

private func token(_ value: String) -> (Int, String) { (200, #"{"access_token":"\#(value)","token_type":"bearer","expires_in":3600}"#) }
private let emptyPage = (200, #"{"participants":[],"next_page_token":""}"#)

@Suite struct ZoomAPIClientTests {
    @Test func followsPagesReissuesAnExpiredTokenAndRetries429And5xx() async throws {
        let transport = ScriptedTransport([
            token("t1"),
            (200, #"{"meetings":[{"uuid":"a==","id":1,"topic":"A","duration":"00:30:00","start_time":"2026-11-02T08:00:00Z"}],"next_page_token":"p2"}"#),
            (401, #"{"code":124,"message":"Access token is expired."}"#),
            token("t2"),
            (429, #"{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}"#),
            (503, ""),
            (200, #"{"meetings":[{"uuid":"b==","id":"2","topic":"B"}],"next_page_token":""}"#),
        ])
        let meetings = try await MeetingHistory(client: client(transport), pageSize: 1).pastMeetings(from: "2026-11-01", to: "2026-11-30")
        #expect(meetings.map(\.id) == ["1", "2"])
        #expect(meetings.map(\.uuid) == ["a==", "b=="])
        #expect(meetings[0].startTime == Date(timeIntervalSince1970: 1_793_606_400))
        #expect(meetings[0].duration == nil, "the Dashboard's HH:MM:SS is not the webhook's minutes")
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
        let stale = ScriptedTransport([token("t"), (401, "{}"), token("u"), (401, "{}"), token("v"), (401, "{}"),
                                       token("w"), (401, #"{"code":124,"message":"Invalid access token."}"#)])
        await #expect(throws: ZoomAPIError.unauthorized(message: "Invalid access token.")) {
            _ = try await MeetingHistory(client: client(stale)).pastMeetings(from: "2026-11-01", to: "2026-11-30")
        }
        // A token without a scope is not made better by a new one.
        let message = "Invalid access token, does not contain scopes:[dashboard_meetings:read:admin]."
        let scopeless = ScriptedTransport([token("t"), (401, #"{"code":4711,"message":"\#(message)"}"#)])
        await #expect(throws: ZoomAPIError.missingScopes(["dashboard_meetings:read:admin"], message: message)) {
            _ = try await MeetingHistory(client: client(scopeless)).pastMeetings(from: "2026-11-01", to: "2026-11-30")
        }
        #expect(scopeless.requests.count == 2)
    }

    @Test func fallsBackToTheReportAPIWhenThePlanHasNoDashboardAndStaysThere() async throws {
        let transport = ScriptedTransport([
            token("t"),
            (400, #"{"code":200,"message":"Dashboard feature has not been enabled for this account."}"#),
            (200, #"{"participants":[{"id":"","user_id":"16778240","name":"Ada Lovelace","user_email":"ada@example.org","join_time":"2026-11-22T08:01:02Z","leave_time":"2026-11-22T09:00:00Z","status":"in_meeting"}],"next_page_token":""}"#),
            emptyPage,
        ])
        let history = MeetingHistory(client: client(transport))
        let records = try await history.participantRecords(meetingUUID: "Dm0==")
        #expect(records.source == .report)
        #expect(records.participants.map(\.name) == ["Ada Lovelace"])
        #expect(records.participants.map(\.email) == ["ada@example.org"])
        #expect(records.participants.map(\.attendee) == ["16778240"], "no participant_uuid: the user_id is the attendee")
        #expect(transport.requests[1].url == "http://zoom.test/v2/metrics/meetings/Dm0%3D%3D/participants?type=past&page_size=300")
        #expect(transport.requests[2].url == "http://zoom.test/v2/report/meetings/Dm0%3D%3D/participants?page_size=300")
        // The next meeting goes to the report at once: no Heavy request wasted on the Dashboard.
        #expect(try await history.participants(meetingUUID: "/Dm1//x==").isEmpty)
        #expect(transport.requests[3].url == "http://zoom.test/v2/report/meetings/%252FDm1%252F%252Fx%253D%253D/participants?page_size=300")
    }

    @Test func aMissingScopeNamesTheScopeAndDoesNotFallBack() async throws {
        let message = "Invalid access token, does not contain scopes:[dashboard_meetings:read:admin]."
        let transport = ScriptedTransport([token("t"), (400, #"{"code":4711,"message":"\#(message)"}"#)])
        let error = await #expect(throws: ZoomAPIError.self) {
            _ = try await MeetingHistory(client: client(transport)).participants(meetingUUID: "Dm0==")
        }
        #expect(error == .missingScopes(["dashboard_meetings:read:admin"], message: message))
        #expect("\(error!)".contains("lacks the scope dashboard_meetings:read:admin: add it"))
        #expect(transport.apiRequests.count == 1)
        // Any other refusal is reported as Zoom said it, without a fallback either.
        let other = ScriptedTransport([token("t"), (400, #"{"code":300,"message":"Invalid meeting id."}"#)])
        await #expect(throws: ZoomAPIError.rejected(status: 400, code: 300, message: "Invalid meeting id.")) {
            _ = try await MeetingHistory(client: client(other)).participants(meetingUUID: "Dm0==")
        }
        #expect(other.apiRequests.count == 1)
    }

    @Test func listsInstancesAndReadsTheReportOfEach() async throws {
        let transport = ScriptedTransport([
            token("t"),
            (200, #"{"meetings":[{"uuid":"i1==","start_time":"2026-11-20T08:00:00Z"},{"uuid":"/i2//","start_time":"2026-11-27T08:00:00Z"}]}"#),
            (200, #"{"uuid":"/i2//","id":85012345678,"host_id":"h1","topic":"Biology","start_time":"2026-11-27T08:00:00Z","end_time":"2026-11-27T09:00:00Z","participants_count":3}"#),
        ])
        let history = MeetingHistory(client: client(transport))
        let instances = try await history.instances(meetingID: "85012345678")
        #expect(instances.map(\.uuid) == ["i1==", "/i2//"])
        #expect(instances.allSatisfy { $0.id == "85012345678" })
        let meeting = try await history.reportedMeeting(uuid: "/i2//")
        #expect(meeting == ZoomEvent.Meeting(id: "85012345678", uuid: "/i2//", hostID: "h1", topic: "Biology",
                                             startTime: ZoomTime.parse("2026-11-27T08:00:00Z"), endTime: ZoomTime.parse("2026-11-27T09:00:00Z")))
        #expect(transport.requests[1].url == "http://zoom.test/v2/past_meetings/85012345678/instances")
        #expect(transport.requests[2].url == "http://zoom.test/v2/report/meetings/%252Fi2%252F%252F")
        // Medium requests do not draw on the daily cap; the report (Heavy) does.
        #expect(await history.client.budgetStatus().made == 1)
    }

    @Test func theDailyBudgetStopsBeforeZoomDoesAndResumesTheNextUTCDay() async throws {
        let clock = Mutex(try Date("2026-11-22T23:59:00Z", strategy: .iso8601))
        let usage = InMemoryUsageLedger()
        // 4 % of a 100-request cap: 4 requests a day.
        var limits = fast(dailyCap: 100)
        limits.dailySharePercent = 4
        let transport = ScriptedTransport([token("t")] + Array(repeating: emptyPage, count: 8))
        let history = MeetingHistory(client: client(transport, limits: limits, usage: usage, now: { clock.withLock { $0 } }))
        for _ in 0..<4 { _ = try await history.participants(meetingUUID: "m==") }
        await #expect(throws: ZoomAPIError.dailyBudgetSpent(limit: 4, resumesAt: try Date("2026-11-23T00:00:00Z", strategy: .iso8601))) {
            _ = try await history.participants(meetingUUID: "m==")
        }
        #expect(transport.apiRequests.count == 4, "the fifth was never sent")
        #expect(usage.day("2026-11-22")?.requests == 4)
        clock.withLock { $0 = $0.addingTimeInterval(60) }
        _ = try await history.participants(meetingUUID: "m==")
        #expect(transport.apiRequests.count == 5)
        #expect(usage.day("2026-11-23")?.requests == 4, "a lease of the new day")
    }

    @Test func zoomsDailyLimitStopsAtOnceForEveryProcessUntilRetryAfter() async throws {
        let now = try Date("2026-11-22T15:00:00Z", strategy: .iso8601)
        let usage = InMemoryUsageLedger()
        let transport = ScriptedTransport(answers: [
            (200, #"{"access_token":"t","expires_in":3600}"#, []),
            (429, #"{"code":429,"message":"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."}"#,
             [("X-RateLimit-Category", "Heavy"), ("X-RateLimit-Type", "Daily-limit"), ("Retry-After", "2026-11-23T00:00:00Z")]),
        ])
        let resumes = try Date("2026-11-23T00:00:00Z", strategy: .iso8601)
        await #expect(throws: ZoomAPIError.dailyLimitReached(resumesAt: resumes)) {
            _ = try await MeetingHistory(client: client(transport, usage: usage, now: { now })).participants(meetingUUID: "m==")
        }
        #expect(transport.apiRequests.count == 1, "no retry into a daily limit")
        #expect(usage.day("2026-11-22")?.stoppedUntil == resumes)
        // Another process (same ledger) learns it at its first lease and sends nothing.
        let other = ScriptedTransport([token("t")])
        await #expect(throws: ZoomAPIError.dailyLimitReached(resumesAt: resumes)) {
            _ = try await MeetingHistory(client: client(other, usage: usage, now: { now })).participants(meetingUUID: "m==")
        }
        #expect(other.apiRequests.isEmpty)
    }

    @Test func retryAfterIsHonouredForTheWholeClass() async throws {
        let transport = ScriptedTransport(answers: [
            (200, #"{"access_token":"t","expires_in":3600}"#, []),
            (429, #"{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}"#, [("Retry-After", "1")]),
            (200, #"{"participants":[],"next_page_token":""}"#, []),
        ])
        let started = ContinuousClock.now
        _ = try await MeetingHistory(client: client(transport)).participants(meetingUUID: "m==")
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(transport.apiRequests.count == 2)
    }

    @Test func eachRateClassHasItsOwnPace() async throws {
        // Resource-intensive: 1 per (shrunk) minute of 30 s; Heavy: 100 a second.
        var limits = fast()
        limits.rates[.resourceIntensive] = .init(1, per: .minute)
        limits.minute = .seconds(30)
        limits.rates[.heavy] = .init(100, per: .second)
        let transport = ScriptedTransport([token("t"), (200, #"{"meetings":[],"next_page_token":""}"#)] + Array(repeating: emptyPage, count: 10))
        let history = MeetingHistory(client: client(transport, limits: limits))
        let started = ContinuousClock.now
        _ = try await history.pastMeetings(from: "2026-11-01", to: "2026-11-30")
        for _ in 0..<10 { _ = try await history.participants(meetingUUID: "m==") }
        // Far below the 30 s a wait behind the meeting list's minute would take (slack for a loaded machine).
        #expect(ContinuousClock.now - started < .seconds(10), "participant lists do not wait behind the meeting list's minute")
        #expect(ContinuousClock.now - started >= .milliseconds(80), "ten Heavy requests at 100 a second")
    }

    @Test func credentialsNeverShowTheSecret() {
        let credentials = ZoomCredentials(accountID: "acc", clientID: "id", clientSecret: "s3cr3t")
        #expect(!"\(credentials)".contains("s3cr3t"))
    }
}

import CurlHTTP
import Testing
@testable import ZohoAnalytics

@Suite struct ZohoUploadPlanTests {
    @Test func theKeyIsTheFirstFieldUnquoted() {
        #expect(ZohoUploadPlan.key(of: #""d-1","x""#) == "d-1")
        #expect(ZohoUploadPlan.key(of: #""a""b,c","x""#) == #"a"b,c"#)
        #expect(ZohoUploadPlan.key(of: "plain,x") == "plain")
    }

    @Test func onlyNewAndChangedRowsAreSentAndDroppedOnesAreCounted() {
        let first = ZohoUploadPlan(csv: csv([("d1", "Ada"), ("d2", "Grace"), ("d3", "Alan")]), accepted: [:])
        #expect(first.changed.map(\.key) == ["d1", "d2", "d3"])
        let accepted = Dictionary(uniqueKeysWithValues: first.changed.map { ($0.key, $0.digest) })

        let second = ZohoUploadPlan(csv: csv([("d1", "Ada"), ("d2", "Grace Hopper"), ("d4", "Edsger")]), accepted: accepted)
        #expect(second.changed.map(\.key) == ["d2", "d4"])
        #expect(second.unchanged == 1)
        #expect(second.withdrawn == 1, "d3 is no longer exported")
        #expect(second.csv(second.changed) == csv([("d2", "Grace Hopper"), ("d4", "Edsger")]))
    }

    @Test func aLoneCarriageReturnDoesNotJoinTwoRows() {
        let plan = ZohoUploadPlan(csv: "\"k\"\n\"a\r\"\n\"b\"\n", accepted: [:])
        #expect(plan.changed.map(\.key) == ["a\r", "b"])
    }

    @Test func filesStayUnderTheLimitWithTheHeaderInEach() {
        let rows = (0..<100).map { ("d\($0)", String(repeating: "x", count: 50)) }
        let plan = ZohoUploadPlan(csv: csv(rows), accepted: [:])
        let files = plan.files(maxBytes: 1000)
        #expect(files.count > 5)
        for file in files {
            let text = plan.csv(file)
            #expect(text.utf8.count <= 1000)
            #expect(text.hasPrefix("\"disconnection_id\",\"participant\"\n"))
        }
        #expect(files.flatMap { $0 }.map(\.key) == rows.map(\.0), "every row once, in order")
        #expect(plan.files().count == 1, "20 MB holds them all")
        #expect(ZohoUploadPlan.maxFileBytes == 20 * 1024 * 1024)
    }
}

@Suite struct ZohoAnswerTests {
    @Test(arguments: [
        (importSucceeded, "accepted"),
        (zohoFailure(400, code: 7092, "Table is locked by another import"), "retry"),
        (zohoFailure(400, code: 6045, "Too many requests"), "retry"),
        (json(503, "busy"), "retry"),
        (json(429, "{}"), "retry"),
        (zohoFailure(401, code: 8535, "Invalid oauthtoken"), "token"),
        (zohoFailure(400, code: 8535, "Invalid oauthtoken"), "token"),
        (json(401, ""), "token"),
        (zohoFailure(400, code: 8083, "Organization id is not present in the request header"), "refused"),
        (zohoFailure(400, code: 7138, "The view id mentioned in the API URL does not exist"), "refused"),
        (json(200, #"{"status":"failure"}"#), "refused"),
    ] as [(OutboundResponse, String)])
    func zohoCodesDecideWhatHappensNext(answer: OutboundResponse, expected: String) {
        let kind = switch ZohoAnswer(status: answer.status, body: answer.body) {
        case .accepted: "accepted"
        case .retryLater: "retry"
        case .tokenRefused: "token"
        case .refused: "refused"
        }
        #expect(kind == expected, "\(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
    }
}

import Testing
@testable import Broker

@Suite struct AMQPURLTests {
    @Test func aSingleURLKeepsItsMeaning() throws {
        let url = try AMQPURL("amqp://lookout:s3cret@rabbit:5673/prod%2Feu")
        #expect(url.host == "rabbit" && url.port == 5673)
        #expect(url.user == "lookout" && url.password == "s3cret")
        #expect(url.virtualHost == "prod/eu")
        #expect(url.description == "amqp://lookout:***@rabbit:5673/prod/eu")
    }

    @Test func defaultsAreGuestPort5672AndTheRootVirtualHost() throws {
        let url = try AMQPURL("amqp://127.0.0.1")
        #expect(url.port == 5672 && url.user == "guest" && url.password == "guest" && url.virtualHost == "/")
    }

    @Test func refusesOtherSchemesAndMissingHosts() {
        #expect(throws: BrokerError.self) { try AMQPURL("http://rabbit:5672/") }
        #expect(throws: BrokerError.self) { try AMQPURL("amqp:///") }
        #expect(throws: BrokerError.self) { try AMQPURL("") }
    }
}

@Suite struct AMQPEndpointsTests {
    @Test func oneURLIsOneEndpoint() throws {
        let endpoints = try AMQPEndpoints("amqp://guest:guest@127.0.0.1:5672/")
        #expect(endpoints.urls == [try AMQPURL("amqp://guest:guest@127.0.0.1:5672/")])
        #expect(endpoints == AMQPEndpoints(try AMQPURL("amqp://guest:guest@127.0.0.1:5672/")))
    }

    @Test func commaSeparatedURLsAreTheNodesInOrder() throws {
        let endpoints = try AMQPEndpoints("amqp://u:p@rabbit-1:5672/lookout, amqp://u:p@rabbit-2:5673/lookout ,amqp://u:p@rabbit-3/lookout")
        #expect(endpoints.urls.map(\.host) == ["rabbit-1", "rabbit-2", "rabbit-3"])
        #expect(endpoints.urls.map(\.port) == [5672, 5673, 5672])
        #expect(endpoints.urls.allSatisfy { $0.virtualHost == "lookout" && $0.user == "u" && $0.password == "p" })
        #expect(endpoints.description == "amqp://u:***@rabbit-1:5672/lookout,amqp://u:***@rabbit-2:5673/lookout,amqp://u:***@rabbit-3:5672/lookout")
    }

    @Test func aCommaInsideAPasswordDoesNotSplit() throws {
        let endpoints = try AMQPEndpoints("amqp://u:a,b@rabbit-1:5672/,amqp://u:a,b@rabbit-2:5672/")
        #expect(endpoints.urls.count == 2)
        #expect(endpoints.urls.allSatisfy { $0.password == "a,b" })
    }

    @Test func schemeIsMatchedWithoutRegardToCase() throws {
        #expect(try AMQPEndpoints("amqp://a:5672/,AMQP://b:5672/").urls.count == 2)
    }

    @Test func aBadEntryIsNamedByPositionWithoutItsText() {
        #expect {
            try AMQPEndpoints("amqp://u:secret@a:5672/,amqp://u:secret@:5672/")
        } throws: { error in
            let text = "\(error)"
            return text.contains("entry 2 of 2") && !text.contains("secret")
        }
        #expect(throws: BrokerError.self) { try AMQPEndpoints("") }
        #expect(throws: BrokerError.self) { try AMQPEndpoints("amqp://a:5672/,amqp://") }
    }
}

@Suite struct EndpointRotationTests {
    let endpoints = try! AMQPEndpoints("amqp://a:1/,amqp://b:2/,amqp://c:3/")

    @Test func triesInOrderUntilOneAnswers() throws {
        var rotation = EndpointRotation(endpoints)
        var tried: [String] = []
        let result = try rotation.connect { url throws(BrokerError) -> String in
            tried.append(url.host)
            guard url.host == "b" else { throw .connectFailed("\(url.host) down") }
            return url.host
        }
        #expect(result.connection == "b" && result.url.host == "b")
        #expect(tried == ["a", "b"])
    }

    @Test func afterLosingANodeItTriesTheOthersFirstAndThatNodeLast() throws {
        var rotation = EndpointRotation(endpoints)
        #expect(try rotation.connect { url throws(BrokerError) in url.host }.url.host == "a")
        var tried: [String] = []
        // a was lost; all down now, to see the whole order of the next attempt.
        #expect(throws: BrokerError.self) {
            try rotation.connect { url throws(BrokerError) -> String in
                tried.append(url.host)
                throw .connectFailed("down")
            }
        }
        #expect(tried == ["b", "c", "a"])
        // A failed round does not move the start: b is tried first again, and c after it.
        tried = []
        let result = try rotation.connect { url throws(BrokerError) -> String in
            tried.append(url.host)
            guard url.host == "c" else { throw .connectFailed("down") }
            return url.host
        }
        #expect(result.connection == "c" && tried == ["b", "c"])
        #expect(try rotation.connect { url throws(BrokerError) in url.host }.url.host == "a")
    }

    @Test func allDownNamesEveryNode() {
        var rotation = EndpointRotation(endpoints)
        #expect {
            try rotation.connect { url throws(BrokerError) -> String in throw .connectFailed("refused") }
        } throws: { error in
            let text = "\(error)"
            return text.contains("no node of 3") && text.contains("a:1") && text.contains("b:2") && text.contains("c:3")
        }
    }

    @Test func aSingleEndpointFailsWithItsOwnErrorAsBefore() {
        var rotation = EndpointRotation(AMQPEndpoints(try! AMQPURL("amqp://a:1/")))
        #expect {
            try rotation.connect { _ throws(BrokerError) -> String in throw .library(operation: "login", message: "denied") }
        } throws: { error in
            "\(error)" == "login: denied"
        }
    }
}

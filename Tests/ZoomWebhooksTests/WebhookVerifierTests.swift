import Foundation
import Testing
@testable import ZoomWebhooks

@Suite struct WebhookVerifierTests {
    let verifier = WebhookVerifier(secretTokens: ["test-secret"])
    let now = Date(timeIntervalSince1970: 1_763_798_400)

    @Test func signatureMatchesAnIndependentHMAC() throws {
        // Computed with Python's hmac module over the fixture file.
        let body = try Fixture.bytes("participant_joined")
        let signature = WebhookSigner(secretToken: "test-secret").signature(timestamp: "1763798400", body: body)
        #expect(signature == "v0=4259271efa91767fb60ec9887be8936049122a985456581a24e8984449157b1f")
    }

    @Test func acceptsWhatItSigned() throws {
        for name in Fixture.all {
            let body = try Fixture.bytes(name)
            let signature = WebhookSigner(secretToken: "test-secret").signature(timestamp: "1763798400", body: body)
            #expect(throws: Never.self) {
                try verifier.verify(signature: signature, timestamp: "1763798400", body: body, now: now)
            }
        }
    }

    @Test func acceptsUpperCaseHex() throws {
        let body = try Fixture.bytes("participant_joined")
        let signature = "v0=" + WebhookSigner(secretToken: "test-secret").signature(timestamp: "1763798400", body: body).dropFirst(3).uppercased()
        _ = try verifier.verify(signature: signature, timestamp: "1763798400", body: body, now: now)
    }

    @Test func refusesATamperedBodyOrTimestamp() throws {
        let body = try Fixture.bytes("participant_joined")
        let signature = WebhookSigner(secretToken: "test-secret").signature(timestamp: "1763798400", body: body)
        var tampered = body
        tampered[tampered.count / 2] ^= 0x01
        #expect(throws: WebhookRejection.badSignature) {
            try verifier.verify(signature: signature, timestamp: "1763798400", body: tampered, now: now)
        }
        #expect(throws: WebhookRejection.badSignature) {
            try verifier.verify(signature: signature, timestamp: "1763798401", body: body, now: now)
        }
    }

    @Test func refusesAnotherAppsSecret() throws {
        let body = try Fixture.bytes("meeting_started")
        let signature = WebhookSigner(secretToken: "other-secret").signature(timestamp: "1763798400", body: body)
        #expect(throws: WebhookRejection.badSignature) {
            try verifier.verify(signature: signature, timestamp: "1763798400", body: body, now: now)
        }
    }

    @Test func acceptsAnyConfiguredSecretAndTellsWhich() throws {
        let rotating = WebhookVerifier(secretTokens: ["old-secret", "new-secret"])
        let body = try Fixture.bytes("url_validation")
        let signature = WebhookSigner(secretToken: "new-secret").signature(timestamp: "1763798400", body: body)
        let signer = try rotating.verify(signature: signature, timestamp: "1763798400", body: body, now: now)
        #expect(signer.encryptedToken(plainToken: "x") == WebhookSigner(secretToken: "new-secret").encryptedToken(plainToken: "x"))
    }

    @Test(arguments: [
        (nil, WebhookRejection.missingSignature),
        ("", .missingSignature),
        ("v1=4259271efa91767fb60ec9887be8936049122a985456581a24e8984449157b1f", .malformedSignature),
        ("v0=4259271efa91767fb60ec9887be893604912", .malformedSignature),
        ("v0=zz59271efa91767fb60ec9887be8936049122a985456581a24e8984449157b1f", .malformedSignature),
        ("v0=0000000000000000000000000000000000000000000000000000000000000000", .badSignature),
    ] as [(String?, WebhookRejection)])
    func refusesBadSignatureHeaders(signature: String?, expected: WebhookRejection) throws {
        let body = try Fixture.bytes("participant_joined")
        #expect(throws: expected) {
            try verifier.verify(signature: signature, timestamp: "1763798400", body: body, now: now)
        }
    }

    @Test(arguments: [
        (nil, WebhookRejection.missingTimestamp),
        ("", .missingTimestamp),
        ("yesterday", .malformedTimestamp),
        ("1763798400000", .malformedTimestamp),
        ("1763798099", .staleTimestamp),
        ("1763798701", .futureTimestamp),
    ] as [(String?, WebhookRejection)])
    func refusesTimestampsOutsideFiveMinutes(timestamp: String?, expected: WebhookRejection) {
        #expect(throws: expected) { try verifier.checkTimestamp(timestamp, now: now) }
    }

    @Test func acceptsTimestampsAtTheEdgeOfTheWindow() throws {
        #expect(try verifier.checkTimestamp("1763798100", now: now) == "1763798100")
        #expect(try verifier.checkTimestamp("1763798700", now: now) == "1763798700")
    }

    @Test func urlValidationAnswerMatchesAnIndependentHMAC() {
        let answer = URLValidationAnswer(plainToken: "qgg8vlvZRS6UYooatFL8Aw", signer: WebhookSigner(secretToken: "test-secret"))
        #expect(answer.encryptedToken == "82079ed66225fed153e0854735aa9702e1d67137a69c96a00957941f942b8de7")
    }

    @Test func idempotencyKeyIsTheBodysSHA256() throws {
        #expect(IdempotencyKey.of(try Fixture.bytes("participant_joined"))
                == "514d2b8dd0b681d75052f02e1a5a67c45461ef65e55ba7299c06b4450d90e20e")
    }
}

import Foundation
import Testing
@testable import ZoomWebhooks
import ZoomModel

/// Bounded random-input tests of the decoder and the verifier: a fixed number of cases from a
/// fixed seed, so CI runs the same inputs every time; a failure names the case to reproduce.
@Suite struct FuzzTests {
    static let seed: UInt64 = 0x10_0C_00_7
    static let tokens = [#"{"#, #"}"#, #"["#, #"]"#, #":"#, #","#, #""event""#, #""payload""#, #""plainToken""#,
                         #""meeting.started""#, #""endpoint.url_validation""#, #""""#, "42", "-1.5e3", "null", "true",
                         " ", "\n", "\\u0000", "\\", "\"", "é", "\u{1F600}"]

    static let templates = [#"{"event":"meeting.started","event_ts":1,"payload":{"object":{"id":"1"}}}"#,
                            #"{"payload":{"plainToken":"abc"},"event":"endpoint.url_validation"}"#]

    /// A valid envelope with a token spliced in, JSON-ish text built from tokens, or raw bytes;
    /// then a few byte flips.
    static func input(_ generator: inout Xorshift) -> [UInt8] {
        var bytes: [UInt8]
        let shape = generator.next() % 4
        if shape == 0 {
            bytes = Array(templates[Int(generator.next() % 2)].utf8)
            if generator.next() % 2 == 0 {
                let token = Array(tokens[Int(generator.next() % UInt64(tokens.count))].utf8)
                bytes.insert(contentsOf: token, at: Int(generator.next() % UInt64(bytes.count + 1)))
            }
        } else if shape == 1 {
            bytes = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        } else {
            bytes = Array((0..<Int(generator.next() % 24)).map { _ in tokens[Int(generator.next() % UInt64(tokens.count))] }.joined().utf8)
        }
        for _ in 0..<Int(generator.next() % 3) where !bytes.isEmpty {
            bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
        }
        return bytes
    }

    /// What an independent JSON implementation (Python's, strict: no NaN/Infinity, no control
    /// characters in strings) says the receiver must accept, for every input at once.
    static func oracle(_ inputs: [[UInt8]]) throws -> [Bool] {
        let script = """
        import base64, json, sys
        def refuse(name): raise ValueError(name)
        for line in sys.stdin:
            ok = False
            try:
                raw = base64.b64decode(line)
                doc = json.loads(raw.decode("utf-8", "strict"), parse_constant=refuse)
                event = doc.get("event") if isinstance(doc, dict) else None
                ok = isinstance(event, str) and 0 < len(event.encode("utf-8")) <= 128
                if ok and event == "endpoint.url_validation":
                    payload = doc.get("payload")
                    token = payload.get("plainToken") if isinstance(payload, dict) else None
                    ok = isinstance(token, str) and len(token) > 0
            except Exception:
                ok = False
            print(1 if ok else 0)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let lines = inputs.map { Data($0).base64EncodedString() }.joined(separator: "\n") + "\n"
        let writer = Thread { input.fileHandleForWriting.write(Data(lines.utf8)); try? input.fileHandleForWriting.close() }
        writer.start()
        let verdicts = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: verdicts, as: UTF8.self).split(separator: "\n").map { $0 == "1" }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func decoderAgreesWithAnIndependentParserOnRandomInput() throws {
        var generator = Xorshift(seed: Self.seed)
        let inputs = (0..<30_000).map { _ in Self.input(&generator) }
        let verdicts = try Self.oracle(inputs)
        try #require(verdicts.count == inputs.count)
        var accepted = 0
        for (index, bytes) in inputs.enumerated() {
            let decoded = try? WebhookEnvelope.decode(Data(bytes))
            #expect((decoded != nil) == verdicts[index], "case \(index): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            if decoded != nil { accepted += 1 }
        }
        #expect(accepted > 1000, "the generator must also produce valid envelopes")
    }

    @Test func verifierAcceptsOnlyTheExactSignature() throws {
        var generator = Xorshift(seed: Self.seed ^ 1)
        let verifier = WebhookVerifier(secretTokens: ["fuzz-secret"])
        let now = Date(timeIntervalSince1970: 1_795_334_400)
        for index in 0..<20_000 {
            let body = Self.input(&generator)
            let real = WebhookSigner(secretToken: "fuzz-secret").signature(timestamp: "1795334400", body: body)
            var forged = Array(real.utf8)
            let position = 3 + Int(generator.next() % 64)
            forged[position] = UInt8(ascii: "0") + UInt8(generator.next() % 10)
            let attempt = String(decoding: forged, as: UTF8.self)
            let result = try? verifier.verify(signature: attempt, timestamp: "1795334400", body: body, now: now)
            #expect((result != nil) == (attempt == real), "case \(index)")
            _ = try verifier.verify(signature: real, timestamp: "1795334400", body: body, now: now)
        }
    }

    @Test func hexRoundTripsAndRefusesNonHex() {
        var generator = Xorshift(seed: Self.seed ^ 2)
        for _ in 0..<10_000 {
            let bytes = (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            #expect(Hex.decode(Substring(Hex.encode(bytes))) == bytes)
            let text = String(decoding: bytes.map { 0x20 + $0 % 0x5F }, as: UTF8.self)
            let isHex = text.utf8.count.isMultiple(of: 2) && text.allSatisfy(\.isHexDigit)
            #expect((Hex.decode(Substring(text)) != nil) == isHex, "\(text)")
        }
    }
}

/// A small, fast, seeded generator.
struct Xorshift: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 1 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

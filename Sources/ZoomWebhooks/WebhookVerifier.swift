import Foundation

/// Checks a delivery's `x-zm-signature` and `x-zm-request-timestamp` against every configured secret
/// token (several Zoom apps, or a rotation in progress).
public struct WebhookVerifier: Sendable {
    public static let defaultTolerance: Duration = .seconds(300)

    private let signers: [WebhookSigner]
    private let toleranceSeconds: Int64

    public init(secretTokens: [String], tolerance: Duration = Self.defaultTolerance) {
        precondition(!secretTokens.isEmpty, "at least one secret token is required")
        signers = secretTokens.map(WebhookSigner.init(secretToken:))
        toleranceSeconds = tolerance.components.seconds
    }

    /// Checks only the headers, so a request can be refused before its body is read.
    public func checkTimestamp(_ timestamp: String?, now: Date) throws(WebhookRejection) -> String {
        guard let timestamp, !timestamp.isEmpty else { throw .missingTimestamp }
        guard timestamp.count <= 12, let seconds = Int64(timestamp) else { throw .malformedTimestamp }
        let skew = seconds - Int64(now.timeIntervalSince1970.rounded(.down))
        guard abs(skew) <= toleranceSeconds else { throw skew < 0 ? .staleTimestamp : .futureTimestamp }
        return timestamp
    }

    /// Returns the signer whose secret produced the signature (needed to answer URL validation).
    public func verify(signature: String?, timestamp: String?, body: some DataProtocol,
                       now: Date) throws(WebhookRejection) -> WebhookSigner {
        let timestamp = try checkTimestamp(timestamp, now: now)
        guard let signature, !signature.isEmpty else { throw .missingSignature }
        guard signature.hasPrefix("v0="), signature.utf8.count == 67,
              let presented = Hex.decode(signature.dropFirst(3)) else { throw .malformedSignature }
        // Every secret is tried, so the time taken does not reveal which one matched.
        var match: WebhookSigner?
        for signer in signers where ConstantTime.equal(signer.mac(timestamp: timestamp, body: body), presented) {
            match = match ?? signer
        }
        guard let match else { throw .badSignature }
        return match
    }
}

enum ConstantTime {
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

import Crypto
import Foundation
import ZoomModel

/// Signs a webhook body the way Zoom does:
/// `x-zm-signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body))`.
public struct WebhookSigner: Sendable {
    private let secret: [UInt8]

    public init(secretToken: String) {
        secret = Array(secretToken.utf8)
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The raw HMAC over `v0:<timestamp>:<body>`, without copying the body.
    public func mac(timestamp: String, body: some DataProtocol) -> [UInt8] {
        Array(code(timestamp: timestamp, body: body))
    }

    /// Whether `presented` is this secret's HMAC of the body, compared by swift-crypto in
    /// constant time (the one constant-time comparison of the project, with `FullViewAccess`'s
    /// digests, also swift-crypto's).
    public func authenticates(_ presented: [UInt8], timestamp: String, body: some DataProtocol) -> Bool {
        code(timestamp: timestamp, body: body) == presented
    }

    private func code(timestamp: String, body: some DataProtocol) -> HashedAuthenticationCode<SHA256> {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Data("v0:\(timestamp):".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }

    /// The value of the `x-zm-signature` header for this body and timestamp (Unix seconds).
    public func signature(timestamp: String, body: some DataProtocol) -> String {
        "v0=" + Hex.encode(mac(timestamp: timestamp, body: body))
    }

    /// The `encryptedToken` Zoom expects back for an `endpoint.url_validation` challenge.
    public func encryptedToken(plainToken: String) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Data(plainToken.utf8), using: key)))
    }
}

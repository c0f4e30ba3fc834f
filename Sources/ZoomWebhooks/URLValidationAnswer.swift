import Foundation

/// The body Zoom expects back for `endpoint.url_validation`.
public struct URLValidationAnswer: Codable, Equatable, Sendable {
    public let plainToken: String
    public let encryptedToken: String

    public init(plainToken: String, signer: WebhookSigner) {
        self.plainToken = plainToken
        self.encryptedToken = signer.encryptedToken(plainToken: plainToken)
    }
}

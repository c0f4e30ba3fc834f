import Foundation

/// A Zoho data centre: an account lives in one, and both its OAuth server and its Analytics API
/// server are there (`accounts.zoho.<domain>`, `analyticsapi.zoho.<domain>`).
public struct ZohoDataCenter: Sendable, Equatable, CustomStringConvertible {
    /// The domains Zoho documents for Analytics: US, EU, India, Australia, Japan, Canada.
    public static let domains = ["com", "eu", "in", "com.au", "jp", "ca"]

    public let domain: String

    /// `com`, `eu`, ... (a leading dot or `zoho.` is tolerated); nil for any other.
    public init?(_ text: String) {
        var domain = text.trimmingCharacters(in: .whitespaces).lowercased()
        if domain.hasPrefix(".") { domain.removeFirst() }
        if domain.hasPrefix("zoho.") { domain.removeFirst(5) }
        guard Self.domains.contains(domain) else { return nil }
        self.domain = domain
    }

    public static let us = ZohoDataCenter("com")!

    public var analyticsURL: String { "https://analyticsapi.zoho.\(domain)" }
    public var tokenURL: String { "https://accounts.zoho.\(domain)/oauth/v2/token" }
    public var description: String { domain }
}

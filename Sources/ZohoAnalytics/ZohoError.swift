import LookoutCore

/// Why an upload stopped. Nothing is recorded as accepted for the part that failed, so the next
/// run sends it again.
public enum ZohoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The accounts server refused the client id, secret or refresh token (revoked, mistyped, or
    /// another data centre's), or the API refused a freshly issued token (missing scope).
    case authorizationRefused(String)
    /// Zoho refused the import and would again (bad CONFIG, unknown view, a row it cannot parse,
    /// the plan's daily API units spent).
    case refused(table: String, status: Int, code: Int?, message: String)
    /// Still failing after every attempt: network, 5xx, rate limited, or the table stayed locked
    /// by another import (7092).
    case gaveUp(table: String, attempts: Int, lastProblem: String)

    public var description: String {
        switch self {
        case .authorizationRefused(let why): "Zoho refused the authorization: \(why)"
        case .refused(let table, let status, let code, let message):
            "Zoho refused the \(table) upload (\(status)\(code.map { ", code \($0)" } ?? "")): \(message)"
        case .gaveUp(let table, let attempts, let problem): "Zoho \(table) upload: gave up after \(attempts) attempts: \(problem)"
        }
    }
}

extension ZohoError: RetryClassified {
    /// Each case is what is left once retrying could not help.
    public var retryAdvice: RetryAdvice { .permanent }
}

/// A failure worth another attempt (network, 5xx, 429): the retry loop's, never thrown out of it.
struct ZohoTransientFailure: RetryClassified, CustomStringConvertible {
    let description: String
    var retryAdvice: RetryAdvice { .retryable }
}

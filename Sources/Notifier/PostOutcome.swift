import Foundation

/// What Mattermost made of a post, in the terms the worker acts on.
public enum PostOutcome: Sendable, Equatable {
    case delivered
    /// 429: try again after the server's Retry-After.
    case rateLimited(retryAfter: Duration)
    /// Worth retrying later: 5xx, a timeout, the network.
    case failed(String)
    /// Will fail the same way every time (400 bad hook or payload, 403 locked channel, 404 no
    /// such channel): the notice is parked with Mattermost's error id.
    case rejected(status: Int, errorID: String?, message: String)

    /// Reads a response: status, Mattermost's JSON error body `{id, message, ...}`, Retry-After.
    public static func classify(status: Int, body: [UInt8], retryAfter: String?, now: Date = Date()) -> PostOutcome {
        switch status {
        case 200..<300:
            return .delivered
        case 429:
            return .rateLimited(retryAfter: parseRetryAfter(retryAfter, now: now))
        case 408, 425, 500...:
            return .failed("HTTP \(status)\(errorText(body).map { ": \($0.message)" } ?? "")")
        default:
            let error = errorText(body)
            return .rejected(status: status, errorID: error?.id, message: error?.message ?? "HTTP \(status)")
        }
    }

    /// Seconds, or an HTTP date; one second when absent or unreadable; at most an hour.
    static func parseRetryAfter(_ value: String?, now: Date) -> Duration {
        let fallback = Duration.seconds(1)
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return fallback }
        var seconds: Double?
        if let number = Double(value) {
            seconds = number
        } else if let date = httpDate(value) {
            seconds = date.timeIntervalSince(now)
        }
        guard let seconds, seconds.isFinite else { return fallback }
        return .milliseconds(Int64(min(3600, max(0, seconds)) * 1000))
    }

    /// "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110's preferred form).
    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    private struct ErrorBody: Decodable {
        let id: String?
        let message: String?
        let detailed_error: String?
    }

    private static func errorText(_ body: [UInt8]) -> (id: String?, message: String)? {
        if let error = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)) {
            let message = [error.message, error.detailed_error].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " — ")
            return (error.id, String(message.prefix(500)))
        }
        let text = String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : (nil, text)
    }
}

/// Zoom's free-text `leave_reason`, read for display and classified by substring, as Zoom's wording
/// is not an enumeration. Seen forms: `Ada left the meeting. Reason : left the meeting to join
/// breakout room`, `Ada got disconnected from the meeting. Reason : Client Close.`, and in Zoom's
/// documentation sample `Ada left the meeting.<br>Reason: Host ended the meeting.`
public struct LeaveReason: Sendable, Equatable {
    /// The reason without the "<name> left the meeting" preamble, e.g. "got disconnected from the
    /// meeting (Client Close)".
    public let text: String
    /// The raw text, lowercased, for substring rules.
    public let lowered: String

    public init?(_ raw: String?) {
        guard let raw, !raw.isEmpty else { return nil }
        var parts = Self.split(raw).map(Self.trimmed).filter { !$0.isEmpty }
        if parts.count > 1 { parts.removeFirst() }
        guard let first = parts.first else { return nil }
        let rest = parts.dropFirst()
        text = rest.isEmpty ? first : "\(first) (\(rest.joined(separator: "; ")))"
        lowered = raw.lowercased()
    }

    /// Splits at every `Reason :` / `Reason:` marker, with or without a `<br>` before it.
    static func split(_ raw: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(raw)
        while let marker = rest.range(of: #"(<br\s*/?>)?\s*Reason\s?:"#, options: [.regularExpression, .caseInsensitive]) {
            parts.append(String(rest[..<marker.lowerBound]))
            rest = rest[marker.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    private static func trimmed(_ text: String) -> String {
        var text = text.replacingOccurrences(of: #"<br\s*/?>"#, with: " ", options: [.regularExpression, .caseInsensitive])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(".") { text.removeLast() }
        return text.trimmingCharacters(in: .whitespaces)
    }
}

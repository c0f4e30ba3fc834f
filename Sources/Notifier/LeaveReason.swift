import Foundation

/// Zoom's free-text `leave_reason` ("<name> left the meeting. Reason : <reason>"), read for display
/// and classified by substring, as Zoom's wording is not an enumeration.
public struct LeaveReason: Sendable, Equatable {
    /// The reason without the "<name> left the meeting" preamble, e.g. "got disconnected from the
    /// meeting (Client Close)".
    public let text: String
    public let isDisconnection: Bool
    /// Moving into or out of a breakout room: a left/joined pair, not a disconnection.
    public let isBreakoutMove: Bool

    public init?(_ raw: String?) {
        guard let raw else { return nil }
        var parts = raw.components(separatedBy: "Reason :").map { Self.trimmed($0) }.filter { !$0.isEmpty }
        if parts.count > 1 { parts.removeFirst() }
        guard let first = parts.first else { return nil }
        let rest = parts.dropFirst()
        text = rest.isEmpty ? first : "\(first) (\(rest.joined(separator: "; ")))"
        let lowered = raw.lowercased()
        isBreakoutMove = lowered.contains("breakout room")
        isDisconnection = !isBreakoutMove
            && ["disconnected", "network connection error", "connection lost"].contains { lowered.contains($0) }
    }

    private static func trimmed(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

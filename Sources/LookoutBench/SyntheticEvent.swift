import Foundation

/// Zoom-shaped `meeting.participant_joined` / `_left` bodies, distinct per index and padded to a
/// fixed size, so every message is a new event of realistic shape.
enum SyntheticEvent {
    /// Zoom's `2026-11-22T08:01:02Z`, without a formatter per message (it would dominate the client's CPU).
    static func time(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970), parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// `run` keeps bodies of different runs (and so their idempotency keys) apart.
    static func body(index: Int, run: String, meetings: Int, size: Int, left: Bool = false) -> [UInt8] {
        let meeting = 86_000_000_000 + index % max(1, meetings)
        let person = "bench-\(run)-\(index)"
        let time = Self.time(Date())
        let timeKey = left ? "leave_time" : "join_time"
        let event = left ? "meeting.participant_left" : "meeting.participant_joined"
        var json = #"{"event":"\#(event)","event_ts":\#(Int(Date().timeIntervalSince1970 * 1000)),"payload":{"account_id":"bench","object":{"id":"\#(meeting)","uuid":"bench-\#(run)-\#(meeting)","host_id":"bench-host","topic":"Bench class \#(meeting)","type":2,"participant":{"user_id":"\#(index)","user_name":"\#(person)","id":"","participant_uuid":"\#(person)","\#(timeKey)":"\#(time)","email":"\#(person)@example.edu","pad":""#
        let tail = #""}}}}"#
        let padding = max(0, size - json.utf8.count - tail.utf8.count)
        json += String(repeating: "x", count: padding) + tail
        return Array(json.utf8)
    }
}

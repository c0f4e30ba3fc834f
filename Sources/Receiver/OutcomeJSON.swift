import LookoutCore

/// `Outcome` as JSON text without `JSONEncoder` (3–6 µs per answer, measured by
/// `lookout-bench stages`): the same keys and values, in declaration order, nil fields left out.
extension Outcome {
    var json: String {
        var out = #"{"status":"#
        JSONString.append(status, to: &out)
        if let reason { out += #","reason":"#; JSONString.append(reason, to: &out) }
        if let code { out += #","code":"#; JSONString.append(code, to: &out) }
        if let messageID { out += #","message_id":"#; JSONString.append(messageID, to: &out) }
        if let spooled { out += spooled ? #","spooled":true"# : #","spooled":false"# }
        if let spoolDepth { out += #","spool_depth":\#(spoolDepth)"# }
        out += "}"
        return out
    }
}

/// The body of the answer to an accepted event (what `lookout-bench stages` times).
package func acceptedAnswerJSON(messageID: String) -> String {
    Outcome(status: "accepted", messageID: messageID).json
}

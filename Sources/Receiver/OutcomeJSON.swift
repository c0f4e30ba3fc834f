/// `Outcome` as JSON text without `JSONEncoder` (3–6 µs per answer, measured by
/// `lookout-bench stages`): the same keys and values, in declaration order, nil fields left out.
extension Outcome {
    var json: String {
        var out = #"{"status":"#
        JSONText.appendString(status, to: &out)
        if let reason { out += #","reason":"#; JSONText.appendString(reason, to: &out) }
        if let code { out += #","code":"#; JSONText.appendString(code, to: &out) }
        if let messageID { out += #","message_id":"#; JSONText.appendString(messageID, to: &out) }
        if let spooled { out += spooled ? #","spooled":true"# : #","spooled":false"# }
        if let spoolDepth { out += #","spool_depth":\#(spoolDepth)"# }
        out += "}"
        return out
    }
}

/// JSON string literals (RFC 8259 section 7): quote, backslash and control characters escaped.
enum JSONText {
    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        var plain = true
        for byte in text.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            out += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// The body of the answer to an accepted event (what `lookout-bench stages` times).
package func acceptedAnswerJSON(messageID: String) -> String {
    Outcome(status: "accepted", messageID: messageID).json
}

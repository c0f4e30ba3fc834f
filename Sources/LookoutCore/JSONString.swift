/// JSON string literals (RFC 8259 section 7): quote, backslash and control characters escaped,
/// everything else as it is. The one JSON string escaper of the project, for the JSON text written
/// by hand (the receiver's answers, Zoho's import CONFIG, a log line that
/// `JSONSerialization` refused); written without `JSONEncoder`, which costs 3–6 µs per answer
/// (measured by `lookout-bench stages`) and can fail where this cannot.
public enum JSONString {
    /// `text` as a quoted JSON string.
    public static func literal(_ text: String) -> String {
        var out = ""
        append(text, to: &out)
        return out
    }

    /// Appends `text` as a quoted JSON string.
    public static func append(_ text: String, to out: inout String) {
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

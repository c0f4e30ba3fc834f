import Foundation

/// Mattermost's incoming-webhook contract (shared/REFERENCE.md) as a checker: the problems a
/// request body has, none when the server would accept it as we mean it.
enum MattermostContract {
    static let postFields: Set<String> = ["text", "channel", "username", "icon_url", "icon_emoji", "attachments", "props", "type", "priority"]
    static let attachmentFields: Set<String> = ["fallback", "color", "pretext", "text", "author_name", "author_link", "author_icon",
                                                "title", "title_link", "fields", "image_url", "thumb_url", "footer", "footer_icon"]
    static let fieldFields: Set<String> = ["title", "value", "short"]
    static let textLimit = 16_383
    static let footerLimit = 300

    enum JSON: Decodable, Equatable {
        case string(String), number(Double), bool(Bool), null, array([JSON]), object([String: JSON])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else if let number = try? container.decode(Double.self) { self = .number(number) }
            else if let text = try? container.decode(String.self) { self = .string(text) }
            else if let items = try? container.decode([JSON].self) { self = .array(items) }
            else { self = .object(try container.decode([String: JSON].self)) }
        }

        var string: String? { if case .string(let text) = self { text } else { nil } }
    }

    static func problems(contentType: String?, body: [UInt8]) -> [String] {
        guard contentType?.lowercased().hasPrefix("application/json") == true else { return ["content-type \(contentType ?? "none")"] }
        guard case .object(let post)? = try? JSONDecoder().decode(JSON.self, from: Data(body)) else { return ["body is not a JSON object"] }
        var problems = unknown(post, postFields, "post")
        for key in ["text", "channel", "username", "icon_url", "icon_emoji"] where post[key] != nil && post[key]?.string == nil {
            problems.append("\(key) is not a string")
        }
        if let text = post["text"]?.string, text.unicodeScalars.count > textLimit { problems.append("text over \(textLimit) runes") }
        guard case .array(let attachments)? = post["attachments"] else {
            if post["text"]?.string?.isEmpty != false { problems.append("neither text nor attachments") }
            return problems
        }
        for (index, item) in attachments.enumerated() {
            guard case .object(let attachment) = item else { problems.append("attachments[\(index)] is not an object"); continue }
            problems += attachmentProblems(attachment, "attachments[\(index)]")
        }
        return problems
    }

    private static func attachmentProblems(_ attachment: [String: JSON], _ path: String) -> [String] {
        var problems = unknown(attachment, attachmentFields, path)
        if attachment["ts"] != nil { problems.append("\(path).ts is not supported by Mattermost") }
        if attachment["fallback"]?.string?.isEmpty != false { problems.append("\(path).fallback is required") }
        for (key, value) in attachment where key != "fields" && value.string == nil { problems.append("\(path).\(key) is not a string") }
        if let footer = attachment["footer"]?.string, footer.count > footerLimit { problems.append("\(path).footer over \(footerLimit) characters") }
        if let text = attachment["text"]?.string, text.unicodeScalars.count > textLimit { problems.append("\(path).text over \(textLimit) runes") }
        if let color = attachment["color"]?.string, !isColor(color) { problems.append("\(path).color \(color) is not #RRGGBB") }
        for key in ["title_link", "author_link"] {
            if let link = attachment[key]?.string, !(link.hasPrefix("https://") || link.hasPrefix("http://")) { problems.append("\(path).\(key) is not a URL") }
        }
        if let fields = attachment["fields"] {
            guard case .array(let items) = fields else { return problems + ["\(path).fields is not a list"] }
            for (index, item) in items.enumerated() {
                let fieldPath = "\(path).fields[\(index)]"
                guard case .object(let field) = item else { problems.append("\(fieldPath) is not an object"); continue }
                problems += unknown(field, fieldFields, fieldPath)
                if field["title"]?.string == nil || field["value"]?.string == nil { problems.append("\(fieldPath) needs a title and a value") }
                if let short = field["short"], case .bool = short {} else if field["short"] != nil { problems.append("\(fieldPath).short is not a boolean") }
            }
        }
        return problems
    }

    private static func unknown(_ object: [String: JSON], _ known: Set<String>, _ path: String) -> [String] {
        object.keys.filter { !known.contains($0) && $0 != "ts" }.sorted().map { "\(path).\($0) is not a known field" }
    }

    private static func isColor(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }
}

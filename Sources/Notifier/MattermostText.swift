/// Makes untrusted text (participant names, topics, Zoom's free text) safe to put in a post: it
/// reads literally and cannot mention anyone, link anywhere or change the layout.
public enum MattermostText {
    /// Invisible, and enough to break `@channel`, `<!channel>`, `~town-square`, `https://…`,
    /// `:emoji:`, `&amp;` and `[x](y)`.
    static let breaker: Character = "\u{200B}"

    /// For Markdown fields (attachment `text`, field values): the characters Mattermost's web
    /// client unescapes are backslash-escaped, and mentions and bare links are broken.
    /// Mattermost shows any other backslash as typed (`Tom \& Jerry`), so nothing else is.
    public static func markdownLiteral(_ text: String, limit: Int = 100) -> String {
        var escaped = ""
        for character in defused(text, limit: limit) {
            if markdownCharacters.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// For fields shown as plain text by some clients and as Markdown by others (author name,
    /// title, fallback, footer): no visible escapes; mentions, bare links and link syntax are
    /// broken with an invisible character.
    public static func plain(_ text: String, limit: Int = 100) -> String {
        var result = ""
        var previous: Character?
        for character in defused(text, limit: limit) {
            if previous == "]", character == "(" || character == "[" { result.append(breaker) }
            result.append(character)
            previous = character
        }
        return result
    }

    /// What Mattermost's web client takes a backslash before (shared/REFERENCE.md).
    static let markdownCharacters = Set("\\`*{}[]()#+-.!_>|~")

    /// One line, at most `limit` characters, with mentions and bare links broken.
    static func defused(_ text: String, limit: Int) -> String {
        var line = ""
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace || isBidiControl(scalar) {
                if !lastWasSpace { line.unicodeScalars.append(" ") }
                lastWasSpace = true
            } else {
                line.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        if line.last == " " { line.removeLast() }
        if line.count > limit { line = String(line.prefix(max(0, limit - 1))) + "…" }

        var result = ""
        var rest = Substring(line)
        while let character = rest.first {
            result.append(character)
            rest = rest.dropFirst()
            // A mention (@name, @channel), a channel link (~name), Mattermost's Slack-style
            // `<!channel>` (turned into @channel by the server), a bare URL, an emoji, an entity
            // (`&lt;`) or a www. link. `<` and `&` cannot be escaped: a backslash would show.
            if character == "@" || character == "~" || character == "<" {
                result.append(breaker)
            } else if character == ":", rest.hasPrefix("//") || rest.first.map(isWordCharacter) == true {
                result.append(breaker)
            } else if character == "&", rest.first.map({ $0 == "#" || isWordCharacter($0) }) == true {
                result.append(breaker)
            } else if character == ".", result.lowercased().hasSuffix("www.") {
                result.insert(breaker, at: result.index(before: result.endIndex))
            }
        }
        return result
    }

    /// What may follow `:` in an emoji name (`:smile:`, `:+1:`) or `&` in an entity.
    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "_+-".contains(character)
    }

    private static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
            || scalar.value == 0x200E || scalar.value == 0x200F
    }
}

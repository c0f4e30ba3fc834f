/// A piece of HTML. Interpolated `String`s are escaped and interpolated `HTML` is kept as is, so a
/// participant named `<script>` can only ever appear as text; no other type can be interpolated.
public struct HTML: Sendable, Equatable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public private(set) var description: String

    public init(stringLiteral value: String) { description = value }

    public init(stringInterpolation: Interpolation) { description = stringInterpolation.text }

    /// Concatenates pieces, e.g. table rows.
    public init(joining pieces: some Sequence<HTML>) { description = pieces.map(\.description).joined() }

    public static func + (a: HTML, b: HTML) -> HTML { HTML(joining: [a, b]) }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        public mutating func appendLiteral(_ literal: String) { text += literal }
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }
        public mutating func appendInterpolation(_ value: Int) { text += String(value) }
        public mutating func appendInterpolation(_ value: HTML) { text += value.description }
        public mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.description } }
    }

    /// Safe in text and in double- or single-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}

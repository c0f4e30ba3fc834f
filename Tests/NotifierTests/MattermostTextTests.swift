import Foundation
import Testing
@testable import Notifier

@Suite struct MattermostTextTests {
    let zwsp = "\u{200B}"

    @Test func aHostileNameReadsLiterallyInMarkdown() {
        let name = "@channel **Bold** <b> [link](http://x)"
        #expect(MattermostText.markdownLiteral(name)
            == "@\(zwsp)channel \\*\\*Bold\\*\\* <\(zwsp)b\\> \\[link\\]\\(http:\(zwsp)//x\\)")
    }

    @Test func aHostileNameHasNoVisibleEscapesInPlainText() {
        let name = "@channel **Bold** <b> [link](http://x)"
        #expect(MattermostText.plain(name) == "@\(zwsp)channel **Bold** <\(zwsp)b> [link]\(zwsp)(http:\(zwsp)//x)")
    }

    /// Mattermost's web client takes a backslash only before these; before anything else it shows.
    @Test func onlyWhatMattermostUnescapesIsEscaped() {
        #expect(MattermostText.markdownLiteral("Tom & Jerry") == "Tom & Jerry")
        #expect(MattermostText.markdownLiteral("a=b; x<y; 10:30 & more") == "a=b; x<\(zwsp)y; 10:\(zwsp)30 & more")
        for character in "\\`*{}[]()#+-.!_>|~" {
            let escaped = MattermostText.markdownLiteral("a\(character)b").replacingOccurrences(of: zwsp, with: "")
            #expect(escaped == "a\\\(character)b", "\(character)")
        }
        for typed in ["Tom & Jerry", "a = b", "x: y", "1 < 2"] {
            #expect(!MattermostText.markdownLiteral(typed).contains("\\"), "\(typed)")
        }
    }

    /// What the server does to attachment text and field values before anyone reads them:
    /// `<!channel>`, `<!here>`, `<!all>` become mentions, `<url|text>` becomes `[text](url)`.
    func asMattermostReadsIt(_ text: String) -> String {
        var text = text
        for word in ["channel", "here", "all"] { text = text.replacingOccurrences(of: "<!\(word)>", with: "@\(word)") }
        return text.replacingOccurrences(of: #"<([^\n<|>]+)\|([^|\n>]+)>"#, with: "[$2]($1)", options: .regularExpression)
    }

    @Test(arguments: ["<!channel>", "<!here>", "<!all>", "@all", "@channel", "<https://evil.example|click me>"])
    func slackStyleAndPlainMentionsCannotMentionOrLink(hostile: String) {
        for escaped in [MattermostText.markdownLiteral("hi \(hostile)"), MattermostText.plain("hi \(hostile)")] {
            let read = asMattermostReadsIt(escaped)
            for mention in ["@channel", "@here", "@all"] { #expect(!read.contains(mention), "\(read)") }
            #expect(!read.contains("](https://"), "\(read)")
        }
    }

    @Test func emojiAndEntitiesReadAsTyped() {
        #expect(MattermostText.markdownLiteral(":smile: &amp; &#60;") == ":\(zwsp)smile: &\(zwsp)amp; &\(zwsp)\\#60;")
    }

    @Test(arguments: ["@here", "@all", "@channel", "@jill.chill", "~town-square"])
    func noMentionSurvives(mention: String) {
        for escaped in [MattermostText.markdownLiteral("hi \(mention)"), MattermostText.plain("hi \(mention)")] {
            #expect(!escaped.contains(mention), "\(escaped)")
        }
    }

    @Test func bareLinksAndEmailsAreNotLinked() {
        #expect(!MattermostText.plain("see www.example.com").lowercased().contains("www.example"))
        #expect(!MattermostText.plain("see https://evil.example").contains("://"))
        #expect(!MattermostText.plain("jill@example.edu").contains("@example"))
    }

    @Test func newlinesAndControlsCannotChangeTheLayout() {
        #expect(MattermostText.plain("Jill\n# Heading\r\n\t| table |") == "Jill # Heading | table |")
        #expect(MattermostText.markdownLiteral("1. item") == "1\\. item")
        #expect(MattermostText.markdownLiteral("- item") == "\\- item")
        #expect(MattermostText.plain("abc\u{202E}def\u{0007}") == "abc def")
    }

    @Test func longTextIsCut() {
        let cut = MattermostText.plain(String(repeating: "x", count: 500), limit: 64)
        #expect(cut.count == 64)
        #expect(cut.hasSuffix("…"))
    }

    @Test func ordinaryNamesStayAsTheyAre() {
        #expect(MattermostText.plain("José Müller-Lüdenscheidt 👩‍👩‍👧") == "José Müller-Lüdenscheidt 👩‍👩‍👧")
        #expect(MattermostText.markdownLiteral("Grace Hopper") == "Grace Hopper")
    }
}

import Testing
@testable import Notifier

@Suite struct MattermostTextTests {
    let zwsp = "\u{200B}"

    @Test func aHostileNameReadsLiterallyInMarkdown() {
        let name = "@channel **Bold** <b> [link](http://x)"
        #expect(MattermostText.markdownLiteral(name)
            == "@\(zwsp)channel \\*\\*Bold\\*\\* \\<b\\> \\[link\\]\\(http\\:\(zwsp)//x\\)")
    }

    @Test func aHostileNameHasNoVisibleEscapesInPlainText() {
        let name = "@channel **Bold** <b> [link](http://x)"
        #expect(MattermostText.plain(name) == "@\(zwsp)channel **Bold** <b> [link]\(zwsp)(http:\(zwsp)//x)")
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

import Dashboard
import Foundation
import LookoutTestSupport
import Projections
import Testing
import ZoomModel

/// The dashboard as an ops person sees it, with a term of data: a reduced term from the project's
/// own generator (`lookout-bench term`: 30 days × 24 class meetings of 8–20 people, 6 evening
/// classes live now; the full 300 × 30 runs in ops/bench) in the test's MongoDB-wire server, the
/// whole stack on the real broker, and real Chromium. It measures what a person sees: every cell
/// under its header cell, axis labels apart and inside their chart, names inside their cells.
extension DashboardIntegration {
    @Suite(.enabled(if: Chromium.executable != nil)) struct TermBrowserTests {
        static let token = "browser-test-token-0123456789"
        static let key = Array("browser-test-pseudonym-key".utf8)

        @Test func aTermOfDataReadsRightAtEveryWidth() async throws { try await withPipeline { pipeline in
            try await loadTerm(into: pipeline)
            try await pipeline.startReceiver()
            pipeline.startStoreWorker()
            pipeline.startProjectWorker()
            let (web, _) = try await pipeline.startWeb { settings in
                settings.title = "Lookout term"
                settings.tokens = [Self.token]
                // What the configuration gives by default with a pseudonym key set.
                settings.exports.privacy = ExportPrivacy(pseudonyms: Pseudonyms(key: Self.key))
            }
            let browser = try Chromium()
            do { try await drive(browser, web: web, pipeline: pipeline) } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        } }

        /// The project's generator, run as `ops/run --sample term` runs it.
        private func loadTerm(into pipeline: Pipeline) async throws {
            let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lookout-bench")
            let process = Process()
            process.executableURL = binary
            process.arguments = ["term", "--uri", pipeline.mongo.uri, "--days", "30", "--meetings-per-day", "24",
                                 "--min-people", "8", "--max-people", "20", "--live", "6"]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            process.waitUntilExit()
            let line = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "lookout-bench term: \(line)")
            print("term sample: \(line)")
        }

        private func drive(_ browser: Chromium, web: String, pipeline: Pipeline) async throws {
            let output = BrowserTests.output
            let pages = ["/", "/?period=today", "/?period=30d", "/?period=term", "/room", "/room?status=all", "/meetings",
                         "/meetings?period=30d", "/stability", "/stability?period=30d", "/stability?from=\(day(-399))"]
            for width in [1100, 390] {
                let tab = try await browser.open("about:blank", width: width, height: 900, mobile: width < 500)
                for page in pages {
                    try await browser.navigate(web + page, session: tab)
                    try await checkLayout(browser, tab, "\(page) at \(width) px")
                }
                // A meeting's page and a person's, reached as a person would: by their links.
                try await browser.navigate(web + "/stability?period=30d", session: tab)
                let person = try await browser.evaluate(#"document.querySelector("a.person")?.getAttribute("href")"#, session: tab) as? String
                let meeting = try await browser.evaluate(#"document.querySelector("table.people a[href^='/meetings/']")?.getAttribute("href")"#,
                                                         session: tab) as? String
                for link in [try #require(person), try #require(meeting)] {
                    try await browser.navigate(web + link, session: tab)
                    try await checkLayout(browser, tab, "\(link) at \(width) px")
                }
                if width == 1100 {
                    try await shoot(browser, tab, web + "/", width, "dashboard-overview.png", output)
                    try await shoot(browser, tab, web + "/?period=30d", width, "dashboard-overview-30d.png", output)
                    try await shoot(browser, tab, web + "/room", width, "dashboard-room-term.png", output)
                    try await shoot(browser, tab, web + "/meetings", width, "dashboard-meetings.png", output)
                    try await shoot(browser, tab, web + meeting!, width, "dashboard-meeting.png", output)
                    try await shoot(browser, tab, web + person!, width, "dashboard-person.png", output)
                    try await shoot(browser, tab, web + "/stability?period=30d", width, "dashboard-stability-term.png", output)
                } else {
                    try await shoot(browser, tab, web + "/", width, "dashboard-overview-phone.png", output)
                }
                await browser.closeTab(tab)
            }
            try await theCellCheckSeesTheOldShift(browser, web: web)
            try await periodPickerChangesTheURLAndTheContent(browser, web: web)
            try await namesArePrivateUntilTheToken(browser, web: web)
            try await aNewSignedEventAppearsLive(browser, web: web, pipeline: pipeline)
        }

        /// Every body cell under its header cell; axis labels apart and inside their chart; names in their cells.
        private func checkLayout(_ browser: Chromium, _ tab: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            #expect(try await browser.evaluate("document.querySelector('main h1') !== null", session: tab) as? Bool == true, "\(what): no page")
            let cells = try await browser.json(Self.misplacedCells, as: [String].self, session: tab)
            #expect(cells.isEmpty, "\(what): cells not under their headers: \(cells.prefix(5))", sourceLocation: sourceLocation)
            let labels = try await browser.json(Self.overlappingLabels, as: [String].self, session: tab)
            #expect(labels.isEmpty, "\(what): axis labels: \(labels.prefix(5))", sourceLocation: sourceLocation)
            let names = try await browser.json(Self.overflowingNames, as: [String].self, session: tab)
            #expect(names.isEmpty, "\(what): names spill out of their cells: \(names.prefix(5))", sourceLocation: sourceLocation)
        }

        /// The top of the page (what one sees without scrolling, and a bit), for docs/dashboard.md.
        private func shoot(_ browser: Chromium, _ tab: String, _ url: String, _ width: Int, _ name: String, _ output: URL) async throws {
            try await browser.navigate(url, session: tab)
            try await browser.screenshot(session: tab, width: width, mobile: width < 500, maxHeight: width < 500 ? 1800 : 1500,
                                         to: output.appendingPathComponent(name))
            print("screenshot: \(output.appendingPathComponent(name).path)")
        }

        /// The bug of issue 15 — a live row's extra leading box (the header's dot, `::before`) — put
        /// back into the page: the measurement must see it, where counting cells in the DOM does not.
        private func theCellCheckSeesTheOldShift(_ browser: Chromium, web: String) async throws {
            let tab = try await browser.open("about:blank", width: 1100, height: 900)
            try await browser.navigate(web + "/meetings", session: tab)
            #expect(try await browser.evaluate("document.querySelectorAll('main tr.is-live').length", session: tab) as? Int ?? 0 > 0)
            #expect(try await browser.json(Self.misplacedCells, as: [String].self, session: tab).isEmpty)
            _ = try await browser.evaluate(#"document.styleSheets[0].insertRule('main tr.is-live::before { content: "●"; }', 0)"#, session: tab)
            let shifted = try await browser.json(Self.misplacedCells, as: [String].self, session: tab)
            #expect(!shifted.isEmpty, "the measurement must catch a row shifted by a pseudo-element")
            #expect(try await browser.evaluate("document.querySelectorAll('main tr.is-live')[0].cells.length", session: tab) as? Int == 8,
                    "the DOM still has the right cell count: only measuring shows the shift")
            await browser.closeTab(tab)
        }

        private func periodPickerChangesTheURLAndTheContent(_ browser: Chromium, web: String) async throws {
            let tab = try await browser.open("about:blank", width: 1100, height: 900)
            try await browser.navigate(web + "/", session: tab)
            func label() async throws -> String { try await browser.evaluate("document.querySelector('.period-label').textContent", session: tab) as? String ?? "" }
            func meetings() async throws -> String { try await browser.evaluate("document.querySelector('.kpi-value').textContent", session: tab) as? String ?? "" }
            let (weekLabel, weekMeetings) = (try await label(), try await meetings())
            #expect(weekLabel.hasPrefix("Last 7 days"))
            _ = try await browser.evaluate(#"document.querySelector(".period-choices a[href*='period=30d']").click()"#, session: tab)
            try await browser.waitForPage(session: tab) { $0.hasSuffix("/?period=30d") }
            #expect(try await label().hasPrefix("Last 30 days"))
            #expect(try await meetings() != weekMeetings, "30 days hold more meetings than 7")
            // The custom form: from–to in the address, so the page can be shared.
            _ = try await browser.evaluate("""
                (() => { const form = document.querySelector('form.period-form');
                  form.from.value = '\(day(-3))'; form.to.value = '\(day(-3))'; form.submit(); })()
                """, session: tab)
            try await browser.waitForPage(session: tab) { $0.contains("from=\(day(-3))") && $0.contains("to=\(day(-3))") }
            #expect(try await label().hasPrefix("From–to"))
            // One day: counted per hour.
            #expect(try await browser.evaluate("document.querySelector('#chart-rate figcaption').textContent.includes('per hour')", session: tab) as? Bool == true)
            await browser.closeTab(tab)
        }

        private func namesArePrivateUntilTheToken(_ browser: Chromium, web: String) async throws {
            let names = "[...document.querySelectorAll('td.name')].map(cell => cell.textContent.trim())"
            let tab = try await browser.open("about:blank", width: 1100, height: 900)
            try await browser.navigate(web + "/room", session: tab)
            let shown = try await browser.json(names, as: [String].self, session: tab)
            #expect(!shown.isEmpty)
            #expect(shown.allSatisfy { $0.hasPrefix("Participant ") }, "public names: \(shown.filter { !$0.hasPrefix("Participant ") }.prefix(3))")
            #expect(try await browser.evaluate("document.querySelector('.badge.private').textContent", session: tab) as? String == "pseudonyms")
            let full = try await browser.open("about:blank", width: 1100, height: 900)
            try await browser.setHeaders(["Authorization": "Bearer \(Self.token)"], session: full)
            try await browser.navigate(web + "/full/room", session: full)
            let real = try await browser.json(names, as: [String].self, session: full)
            #expect(!real.isEmpty)
            #expect(real.allSatisfy { !$0.hasPrefix("Participant ") }, "full view: \(real.prefix(3))")
            await browser.closeTab(tab)
            await browser.closeTab(full)
        }

        private func aNewSignedEventAppearsLive(_ browser: Chromium, web: String, pipeline: Pipeline) async throws {
            let tab = try await browser.open("about:blank", width: 1100, height: 900)
            try await browser.navigate(web + "/room?q=Biology%20101", session: tab)
            try await eventually("the page is live") {
                try await browser.evaluate(#"document.getElementById("live").dataset.state"#, session: tab) as? String == "live"
            }
            _ = try await browser.evaluate("window.lookoutNoReload = 15", session: tab)
            #expect(try await pipeline.post(DemoClass.joinNow("Barbara Liskov", uuid: "u-barbara-term")) == 200)
            try await eventually("the new meeting and its person show without a reload", timeout: .seconds(90)) {
                try await browser.evaluate(##"document.querySelector("#room-85012345678 td.name")?.textContent ?? """##, session: tab) as? String
                    == Pseudonyms(key: Self.key).name(for: "Barbara Liskov")
            }
            #expect(try await browser.evaluate("window.lookoutNoReload", session: tab) as? Int == 15)
        }

        /// `YYYY-MM-DD`, `offset` days from today (UTC, the test's display zone).
        private func day(_ offset: Int) -> String {
            Date().addingTimeInterval(Double(offset) * 86_400).formatted(Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day())
        }

        static let misplacedCells = """
            (() => {
              const problems = [];
              for (const table of document.querySelectorAll("main table")) {
                if (!table.tHead || table.getBoundingClientRect().width === 0) continue;
                const heads = [...table.tHead.rows[0].cells].map(cell => cell.getBoundingClientRect());
                for (const row of table.tBodies[0].rows) {
                  const cells = [...row.cells];
                  if (cells.length !== heads.length) problems.push(`${table.className} row ${row.rowIndex}: ${cells.length} cells, ${heads.length} headers`);
                  cells.forEach((cell, i) => {
                    const box = cell.getBoundingClientRect(), head = heads[i];
                    if (head && (Math.abs(box.left - head.left) > 1 || Math.abs(box.right - head.right) > 1))
                      problems.push(`${table.className} row ${row.rowIndex} (${row.className}) cell ${i}: ${Math.round(box.left)}–${Math.round(box.right)} under ${Math.round(head.left)}–${Math.round(head.right)}`);
                  });
                }
              }
              return problems;
            })()
            """

        static let overlappingLabels = """
            (() => {
              const problems = [];
              for (const svg of document.querySelectorAll("main svg")) {
                const frame = svg.getBoundingClientRect();
                const labels = [...svg.querySelectorAll("text.tick-label")].map(text => [text.textContent, text.getBoundingClientRect()])
                  .sort((a, b) => a[1].left - b[1].left);
                labels.forEach(([text, box], i) => {
                  if (box.left < frame.left - 1 || box.right > frame.right + 1) problems.push(`"${text}" outside its chart`);
                  if (i > 0 && box.left < labels[i - 1][1].right + 2) problems.push(`"${labels[i - 1][0]}" and "${text}" overlap`);
                });
              }
              return problems;
            })()
            """

        static let overflowingNames = """
            [...document.querySelectorAll("main td.name")].filter(cell => cell.scrollWidth > cell.clientWidth + 1)
              .map(cell => cell.textContent.trim())
            """
    }
}

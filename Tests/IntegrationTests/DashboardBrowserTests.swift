import Foundation
import LookoutTestSupport
import Testing

extension DashboardIntegration {
    /// The dashboard in a real browser: Debian's headless Chromium against the whole stack on the real
    /// broker, fed the recorded class as if it were happening now.
    @Suite(.enabled(if: Chromium.executable != nil)) struct BrowserTests {
        /// Where screenshots go: .build/test-output/ of this package.
        static let output = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/test-output")

        @Test func theRoomShowsTheRightPeopleAndANewJoinAppearsWithoutAReload() async throws { try await withPipeline { pipeline in
            try await pipeline.startReceiver()
            pipeline.startStoreWorker()
            pipeline.startProjectWorker()
            let (web, _) = try await pipeline.startWeb { $0.title = "Lookout demo" }
            let bodies = try DemoClass.happeningNow()
            for body in bodies.prefix(DemoClass.firstHalf) { #expect(try await pipeline.post(String(decoding: body, as: UTF8.self)) == 200) }
            try await eventually("the projections are up to date", timeout: .seconds(90)) { try await namesInRoom(web).count == 6 }

            let browser = try Chromium()
            do { try await drive(browser, web: web, pipeline: pipeline) } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        } }

        private func drive(_ browser: Chromium, web: String, pipeline: Pipeline) async throws {
            let tab = try await browser.open(web + "/room", width: 1100, height: 900)
            func names() async throws -> [String] {
                let json = try await browser.evaluate(
                    ##"JSON.stringify([...document.querySelectorAll("#room-85012345678 table.in-room td.name")].map(cell => cell.textContent))"##,
                    session: tab) as? String ?? "[]"
                return try JSONDecoder().decode([String].self, from: Data(json.utf8))
            }
            func liveState() async throws -> String? {
                try await browser.evaluate(#"document.getElementById("live")?.dataset.state"#, session: tab) as? String
            }
            try await eventually("the page is live (its event stream is open)") { try await liveState() == "live" }
            // In the order their stays began: Alan's and Katherine's reconnects and Edsger's move
            // do not start a new stay; Grace was away ten minutes, so hers began again at 08:31.
            // Waited for, not read once: six names can be in the room while a later fact of the first
            // half is still being projected (seen on a loaded CI machine).
            let expected = ["Ada Lovelace", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra", "@channel **Guest** <b>", "Grace Hopper"]
            try await eventually("the room shows everyone, in the order their stays began") { try await names() == expected }
            // A reload would lose this.
            _ = try await browser.evaluate("window.lookoutNoReload = 42", session: tab)

            #expect(try await pipeline.post(DemoClass.joinNow("Barbara Liskov", uuid: "u-barbara")) == 200)
            try await eventually("the new join shows without a reload") { try await names().last == "Barbara Liskov" }
            #expect(try await browser.evaluate("window.lookoutNoReload", session: tab) as? Int == 42)
            #expect(try await liveState() == "live")
            let room = Self.output.appendingPathComponent("dashboard-room.png")
            try await browser.screenshot(session: tab, width: 1100, to: room)

            // The stability view on a phone-sized screen.
            let phone = try await browser.open(web + "/stability", width: 390, height: 800, mobile: true)
            try await eventually("the stability page shows its timeline") {
                try await browser.evaluate(#"document.querySelectorAll("svg circle.drop").length"#, session: phone) as? Int == 3
            }
            let stability = Self.output.appendingPathComponent("dashboard-stability-phone.png")
            try await browser.screenshot(session: phone, width: 390, mobile: true, to: stability)
            print("dashboard screenshots: \(room.path) \(stability.path)")
        }
    }
}

import Foundation
import Testing
@testable import Projections
import ZoomModel

@Suite struct ExportTests {
    let snapshot: ProjectionSnapshot

    init() throws {
        let update = DemoSession.fullUpdate(try DemoSession.facts())
        snapshot = ProjectionSnapshot(presence: update.presence, disconnections: update.disconnections,
                                      incidents: update.incidents.flatMap(\.incidents))
    }

    @Test func dashboardCSVIsTheJekyllFormat() {
        let csv = DashboardCSV.render(snapshot.presence, timeZone: TimeZone(identifier: "Europe/Paris")!, privacy: .everyone)
        let off = #""<i class=""fa-solid fa-toggle-off""></i>""#
        #expect(csv == """
        "Username","Status","Last Join","Last Left"
        "Ada Lovelace",\(off),"2026-11-22-09:01:02","2026-11-22-09:59:50"
        "Alan Turing",\(off),"2026-11-22-09:01:31","2026-11-22-09:59:50"
        "Edsger Dijkstra",\(off),"2026-11-22-09:02:30","2026-11-22-09:59:50"
        "Grace Hopper",\(off),"2026-11-22-09:31:00","2026-11-22-09:59:50"
        "Katherine Johnson",\(off),"2026-11-22-09:02:00","2026-11-22-09:59:50"
        "@channel **Guest** <b>",\(off),"2026-11-22-09:03:00","2026-11-22-09:40:00"

        """)
    }

    @Test func dashboardShowsWhoIsInAndNAForMissingTimes() throws {
        let facts = try DemoSession.facts().filter { $0.at < utc(8, 1, 20) }
        let csv = DashboardCSV.render(DemoSession.fullUpdate(facts).presence, timeZone: .gmt, privacy: .everyone)
        let on = #""<i class=""fa-solid fa-toggle-on""></i>""#
        #expect(csv == """
        "Username","Status","Last Join","Last Left"
        "Grace Hopper",\(on),"2026-11-22-08:01:15","N/A"
        "Ada Lovelace",\(on),"2026-11-22-08:01:02","N/A"

        """)
    }

    @Test func allowListAndPseudonymsHideWhoMustNotAppear() {
        let allowed = DashboardCSV.render(snapshot.presence, timeZone: .gmt, privacy: ExportPrivacy(allowedNames: ["ada  LOVELACE"]))
        #expect(allowed.split(separator: "\n").count == 2)
        #expect(allowed.contains("Ada Lovelace"))
        let hidden = ExportPrivacy(pseudonyms: Pseudonyms(key: Array("first key, 16 chars+".utf8)))
        let pseudonymous = DashboardCSV.render(snapshot.presence, timeZone: .gmt, privacy: hidden)
        #expect(!pseudonymous.contains("Ada"))
        #expect(hidden.displayName("Ada Lovelace") == hidden.displayName("ada lovelace"))
        #expect(hidden.displayName("Ada Lovelace") != ExportPrivacy(pseudonyms: Pseudonyms(key: Array("second key, 16 chars".utf8))).displayName("Ada Lovelace"))
        #expect(ZohoCSV.disconnections(snapshot, privacy: hidden).contains("Participant "))
    }

    @Test func zohoDisconnectionsHaveStableKeysAndISODates() throws {
        let lines = ZohoCSV.disconnections(snapshot, privacy: .everyone).split(separator: "\n")
        #expect(lines[0] == #""disconnection_id","meeting_id","meeting_topic","participant","disconnected_at","leave_reason","bounced","returned_at","seconds_away""#)
        #expect(lines.count == 4)
        #expect(lines[1].hasSuffix(#""true","2026-11-22T08:20:45Z","45""#))
        #expect(lines[3].contains(#""Grace Hopper","2026-11-22T08:20:40Z""#))
        #expect(lines[3].hasSuffix(#""false","2026-11-22T08:31:00Z","620""#))
    }

    @Test func zohoIncidents() {
        let lines = ZohoCSV.incidents(snapshot, privacy: .everyone, windowSeconds: 60).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1] == #""85012345678|1795335600000","85012345678","Biology 101 — Demo lecture","2026-11-22T08:20:00Z","2026-11-22T08:20:40Z","3","Alan Turing; Katherine Johnson; Grace Hopper","false""#)
    }

    @Test func jsonExportCarriesTheSameRows() throws {
        let data = try ExportJSON.render(snapshot, privacy: .everyone, windowSeconds: 60, now: Date(timeIntervalSince1970: 0))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // One row per person: Alan's two participant records are one person.
        #expect((json["presence"] as? [Any])?.count == 6)
        #expect((json["disconnections"] as? [Any])?.count == 3)
        #expect(((json["incidents"] as? [[String: Any]])?.first?["platform_wide"] as? Bool) == false)
        #expect(json["generated_at"] as? String == "1970-01-01T00:00:00Z")
    }

    @Test func csvQuotesEverything() {
        #expect(CSV.render(header: ["a"], rows: [[#"say "hi", ok"#], ["two\nlines"]]) == "\"a\"\n\"say \"\"hi\"\", ok\"\n\"two lines\"\n")
    }
}

/// Jekyll loads `_data/*.csv` with Ruby's CSV (headers: true) and a page loops over the rows; an
/// independent RFC 4180 reader (Python's csv module) must see the same header keys and cells.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
struct DashboardCSVCompatibilityTests {
    @Test func anIndependentCSVReaderSeesTheRowsAJekyllTableShows() throws {
        let update = DemoSession.fullUpdate(try DemoSession.facts())
        let csv = DashboardCSV.render(update.presence, timeZone: .gmt, privacy: .everyone)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import csv, sys, json; print(json.dumps(list(csv.DictReader(sys.stdin))))"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(csv.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let rows = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: String]])
        #expect(rows.count == 6)
        #expect(rows[0] == ["Username": "Ada Lovelace", "Status": DashboardCSV.notInRoom,
                            "Last Join": "2026-11-22-08:01:02", "Last Left": "2026-11-22-08:59:50"])
        #expect(rows[5]["Username"] == "@channel **Guest** <b>")
    }
}

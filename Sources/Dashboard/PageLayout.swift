import Foundation

/// What every page shares: where it lives (public or full view), the version it shows, the clock.
struct PageContext: Sendable {
    enum Section: Sendable { case room, stability, meetings }

    let siteTitle: String
    /// `""` for the public view, `/full` for the full view.
    let prefix: String
    let version: Int64
    let clock: DisplayClock

    var isFull: Bool { !prefix.isEmpty }

    func link(_ path: String) -> String { prefix + path }

    func meetingLink(_ meetingID: String, api: Bool = false) -> String {
        let segment = meetingID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? meetingID
        return link((api ? "/api" : "") + "/meetings/" + segment)
    }

    /// The whole document. `<main>` carries the version: the page script swaps it when a newer one exists.
    /// - Parameter api: where the same data is as JSON.
    func page(_ title: String, section: Section?, api: String, _ content: HTML) -> HTML {
        let nav = HTML(joining: [(Section.room, "/", "Room"), (.stability, "/stability", "Stability"), (.meetings, "/meetings", "Meetings")]
            .map { item, path, label -> HTML in
                item == section ? "<a href=\"\(link(path))\" aria-current=\"page\">\(label)</a>" : "<a href=\"\(link(path))\">\(label)</a>"
            })
        let robots: HTML = isFull ? "<meta name=\"robots\" content=\"noindex\">\n" : ""
        let view: HTML = isFull ? "<span class=\"badge full\">full view</span>" : ""
        return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        \(robots)<title>\(title) · \(siteTitle)</title>
        <link rel="stylesheet" href="/assets/lookout.css">
        <script src="/assets/lookout.js" defer></script>
        </head>
        <body data-events="/events">
        <header>
        <a class="brand" href="\(link("/"))">\(siteTitle)</a> \(view)
        <nav>\(nav)</nav>
        <span id="live" class="live" data-state="connecting" role="status">connecting…</span>
        </header>
        <main data-version="\(String(version))">
        <h1>\(title)</h1>
        \(content)
        <p class="updated">As of \(clock.time(clock.now)) (\(clock.timeZone.identifier))</p>
        </main>
        <footer>
        <a href="\(api)">JSON</a> ·
        Exports: <a href="/exports/zoom-room-dashboard.csv">room CSV</a> ·
        <a href="/exports/zoho-disconnections.csv">disconnections CSV</a> ·
        <a href="/exports/zoho-incidents.csv">incidents CSV</a> ·
        <a href="/exports/lookout.json">lookout.json</a>
        </footer>
        </body>
        </html>

        """
    }

    func meetingLabel(_ meetingID: String, topic: String?) -> HTML {
        "<a href=\"\(meetingLink(meetingID))\">\(topic ?? "Meeting \(meetingID)")</a>"
    }
}

/// A titled table that scrolls sideways on a phone instead of squeezing (the title stays put).
func table(_ head: [String], _ rows: [HTML], empty: String, title: String? = nil, kind: String = "") -> HTML {
    let heading: HTML = title.map { "<h3>\($0)</h3>" } ?? ""
    guard !rows.isEmpty else { return empty.isEmpty ? "" : "\(heading)<p class=\"empty\">\(empty)</p>" }
    let header = HTML(joining: head.map { "<th scope=\"col\">\($0)</th>" as HTML })
    return """
        \(heading)<div class="scroll"><table class="\(kind)"><thead><tr>\(header)</tr></thead><tbody>\(rows)</tbody></table></div>
        """
}

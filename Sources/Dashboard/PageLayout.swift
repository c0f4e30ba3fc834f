import Foundation

/// What every page shares: where it lives (public or full view), the version it shows, the clock,
/// the period and the query it was asked with (links keep them: a URL is shareable).
struct PageContext: Sendable {
    enum Section: Sendable { case overview, room, meetings, stability }

    let siteTitle: String
    /// `""` for the public view, `/full` for the full view.
    let prefix: String
    let version: Int64
    let clock: DisplayClock
    /// The page's own path (without the prefix) and its query parameters as given.
    var path = "/"
    var parameters: [(String, String)] = []
    var period: Period?
    var defaultPeriod: Period.Kind = .week
    var audience = Audience.full

    var isFull: Bool { !prefix.isEmpty }

    func link(_ path: String) -> String { prefix + path }

    /// `path` with the period of this page (and `extra`), for links to other pages.
    func url(_ path: String, _ extra: [(String, String)] = []) -> String {
        Self.url(link(path), (period?.queryItems(default: defaultPeriod) ?? []) + extra)
    }

    /// This page with some parameters changed (nil removes one).
    func here(_ changes: [(String, String?)]) -> String {
        var items = parameters.filter { name, _ in !changes.contains { $0.0 == name } }
        for case let (name, value?) in changes { items.append((name, value)) }
        return Self.url(link(path), items)
    }

    static func url(_ path: String, _ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return path }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
        return path + "?" + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }

    func meetingLink(_ meetingID: String, api: Bool = false, instance: String? = nil) -> String {
        let segment = meetingID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? meetingID
        return url((api ? "/api" : "") + "/meetings/" + segment, instance.map { [("instance", $0)] } ?? [])
    }

    func personLink(_ key: String, api: Bool = false) -> String { url((api ? "/api" : "") + "/people/" + key) }

    /// The whole document. `<main>` carries the version: the page script swaps it when a newer one exists.
    /// - Parameter api: where the same data is as JSON.
    func page(_ title: String, section: Section?, api: String, picker: Bool = true, _ content: HTML) -> HTML {
        let items: [(Section, String, String)] = [(.overview, "/", "Overview"), (.room, "/room", "Room"),
                                                  (.meetings, "/meetings", "Meetings"), (.stability, "/stability", "Stability")]
        let nav = HTML(joining: items.map { item, path, label -> HTML in
            // The room shows what is live now: its link carries no period.
            let href = item == .room ? link(path) : url(path)
            return item == section ? "<a href=\"\(href)\" aria-current=\"page\">\(label)</a>" : "<a href=\"\(href)\">\(label)</a>"
        })
        let robots: HTML = isFull ? "<meta name=\"robots\" content=\"noindex\">\n" : ""
        let view: HTML = isFull ? "<span class=\"badge full\">full view</span>"
            : audience.namesWithheld ? "<span class=\"badge private\" title=\"Names are withheld on the public view\">names withheld</span>"
            : audience.privacy.pseudonymize ? "<span class=\"badge private\" title=\"Names are pseudonyms on the public view\">pseudonyms</span>" : ""
        let chooser: HTML = picker ? periodPicker() : ""
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
        <a class="brand" href="\(url("/"))">\(siteTitle)</a> \(view)
        <nav>\(nav)</nav>
        <span id="live" class="live-status" data-state="connecting" role="status">connecting…</span>
        </header>
        <main data-version="\(String(version))">
        <h1>\(title)</h1>
        \(chooser)\(content)
        <p class="updated">As of \(clock.time(clock.now)) (\(clock.timeZone.identifier))</p>
        </main>
        <footer>
        <a href="\(api)">JSON</a> ·
        Exports: <a href="\(exportLink("zoom-room-dashboard.csv"))">room CSV</a> ·
        <a href="\(exportLink("zoho-disconnections.csv"))">disconnections CSV</a> ·
        <a href="\(exportLink("zoho-incidents.csv"))">incidents CSV</a> ·
        <a href="\(exportLink("lookout.json"))">lookout.json</a>
        </footer>
        </body>
        </html>

        """
    }

    /// Exports of this page's period (they are public: no prefix).
    func exportLink(_ file: String) -> String {
        Self.url("/exports/" + file, period.map { $0.kind == defaultPeriod ? [("period", $0.kind.rawValue)] : $0.queryItems(default: defaultPeriod) } ?? [])
    }

    /// Today, 7 and 30 days, the term, and a from–to form (plain GET: works without script).
    func periodPicker() -> HTML {
        guard let period else { return "" }
        let choices: [(Period.Kind, String)] = [(.today, "Today"), (.week, "7 days"), (.month, "30 days"), (.term, "Term")]
        let links = HTML(joining: choices.map { kind, label -> HTML in
            let href = here([("period", kind == defaultPeriod ? nil : kind.rawValue), ("from", nil), ("to", nil), ("since", nil),
                             ("until", nil), ("limit", nil)])
            return kind == period.kind ? "<a href=\"\(href)\" aria-current=\"true\">\(label)</a>" : "<a href=\"\(href)\">\(label)</a>"
        })
        let last = period.end.addingTimeInterval(-1)
        let hidden = HTML(joining: parameters.filter { ["meeting", "status", "q", "instance"].contains($0.0) }.map { name, value -> HTML in
            "<input type=\"hidden\" name=\"\(name)\" value=\"\(value)\">"
        })
        return """
            <div class="period"><span class="period-label">\(periodLabel(period))</span>
            <span class="period-choices">\(links)</span>
            <form class="period-form" method="get" action="\(link(path))">\(hidden)<label>From <input type="date" name="from" value="\(clock.isoDay(period.start))"></label> \
            <label>to <input type="date" name="to" value="\(clock.isoDay(last))"></label> <button type="submit">Show</button></form></div>
            """
    }

    func periodLabel(_ period: Period) -> String {
        let name: String
        switch period.kind {
        case .today: name = "Today"
        case .week: name = "Last 7 days"
        case .month: name = "Last 30 days"
        case .term: name = "This term"
        case .custom: name = "From–to"
        }
        let last = period.end.addingTimeInterval(-1)
        let first = clock.day(period.start)
        return period.bucket == .hour && clock.calendar.isDate(period.start, inSameDayAs: last)
            ? "\(name): \(first)" : "\(name): \(first) – \(clock.day(last))"
    }

    func meetingLabel(_ meetingID: String, topic: String?, instance: String? = nil) -> HTML {
        // <bdi>: a topic in Arabic or Hebrew keeps its direction without turning the line around it.
        "<a href=\"\(meetingLink(meetingID, instance: instance))\"><bdi>\(topic ?? "Meeting \(meetingID)")</bdi></a>"
    }

    /// A name, linked to the person's page when this audience may open it.
    func personLabel(_ name: String, key: String?) -> HTML {
        key.map { "<a class=\"person\" href=\"\(personLink($0))\"><bdi>\(name)</bdi></a>" } ?? "<bdi>\(name)</bdi>"
    }

    /// "Show N more" for a list cut at `shown` of `total`.
    func more(shown: Int, total: Int, limit: Int) -> HTML {
        guard total > shown else { return "" }
        let next = min(2000, max(limit * 2, shown + 50))
        return "<p class=\"more\">Showing \(shown) of \(total). <a href=\"\(here([("limit", String(next))]))\">Show \(min(next, total) - shown) more</a></p>"
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

/// The stylesheet and the page script, served by Lookout itself (no CDN, no build step).
enum Assets {
    static let stylesheet = """
        :root { --bg: #fff; --fg: #1d2330; --muted: #5d6778; --line: #dde2ea; --card: #f6f8fb; --accent: #1f5fbf;
          --drop: #d98a00; --bounced: #7a9cc6; --reconnect: #5b7fb5; --hours: #8fa6c4; --incident: #e0a100; --platform: #c62828; --ok: #2e7d32; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #12151b; --fg: #e6e9ef; --muted: #9aa4b5; --line: #2c323d; --card: #1a1e26; --accent: #7fb0ff;
            --bounced: #5f7fa8; --platform: #ff6b6b; --ok: #81c784; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", "Noto Sans Hebrew", sans-serif;
          background: var(--bg); color: var(--fg); }
        header { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1rem; padding: .6rem 1rem;
          border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 1; }
        .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
        nav { display: flex; gap: .9rem; flex-wrap: wrap; }
        nav a { color: var(--muted); text-decoration: none; padding: .2rem 0; }
        nav a[aria-current] { color: var(--accent); border-bottom: 2px solid var(--accent); }
        .live-status { margin-left: auto; font-size: .85rem; color: var(--muted); }
        .live-status::before { content: "●"; margin-right: .3rem; }
        .live-status[data-state="live"]::before { color: var(--ok); }
        .live-status[data-state="error"]::before { color: var(--platform); }
        main { padding: 0 1rem 1rem; max-width: 72rem; margin: 0 auto; }
        h1 { font-size: 1.4rem; margin: 1rem 0 .5rem; }
        h2 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
        a { color: var(--accent); }
        .count { font-weight: 400; color: var(--muted); font-size: .9rem; margin-left: .4rem; }
        .room { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .2rem .8rem .6rem; margin: .8rem 0; }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .95rem; }
        h3 { font-size: 1rem; margin: .9rem 0 .2rem; }
        th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--muted); font-weight: 600; font-size: .85rem; }
        td.num, td.duration { text-align: right; white-space: nowrap; } td.duration { text-align: left; }
        td.name { font-weight: 600; min-width: 8em; max-width: 22em; overflow-wrap: anywhere; unicode-bidi: plaintext; }
        h1, .lane-label { unicode-bidi: plaintext; } h1, h2 { overflow-wrap: anywhere; }
        td a { overflow-wrap: anywhere; }
        a.person { color: inherit; text-decoration-color: var(--line); }
        table.people td:last-child { min-width: 14em; }
        time { white-space: nowrap; font-variant-numeric: tabular-nums; }
        tr.dropped td, tr.away td { color: var(--drop); }
        tr.platform-wide td { background: color-mix(in srgb, var(--platform) 12%, transparent); }
        .badge { display: inline-block; font-size: .75rem; padding: .05rem .4rem; border-radius: 999px; border: 1px solid currentColor; white-space: nowrap; }
        .badge.platform-wide { color: var(--platform); font-weight: 700; }
        .badge.drop { color: var(--drop); }
        .badge.live { color: var(--ok); }
        .badge.full, .badge.private { color: var(--accent); }
        .badge.reconnect { color: var(--reconnect); } .badge.incident { color: var(--incident); } .badge.breakout { color: var(--muted); }
        tr.selected td { background: var(--card); } tr.bad td:first-child { box-shadow: inset 3px 0 var(--platform); }
        .period, .filters { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem 1rem; margin: .2rem 0 .8rem; font-size: .9rem; }
        .period-label { font-weight: 600; }
        .period-choices { display: inline-flex; gap: .2rem; flex-wrap: wrap; }
        .period-choices a { padding: .15rem .55rem; border: 1px solid var(--line); border-radius: 999px; text-decoration: none; }
        .period-choices a[aria-current] { background: var(--accent); border-color: var(--accent); color: var(--bg); }
        form { display: inline-flex; flex-wrap: wrap; gap: .3rem; align-items: center; margin: 0; }
        input, button { font: inherit; font-size: .9rem; padding: .15rem .35rem; border: 1px solid var(--line); border-radius: 4px;
          background: var(--bg); color: var(--fg); }
        button { cursor: pointer; background: var(--card); }
        .summary { margin: .3rem 0 .6rem; } .more { font-size: .9rem; }
        .verdicts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: .8rem; margin: .6rem 0; }
        .verdict { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .2rem .9rem .5rem; }
        .verdict.bad { border-color: var(--platform); }
        .verdict h2 { margin-top: .6rem; } .verdict p { margin: .35rem 0; } .numbers { color: var(--muted); font-size: .9rem; }
        strong.bad { color: var(--platform); } strong.good { color: var(--ok); }
        .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(9.5rem, 1fr)); gap: .5rem; margin: .8rem 0; }
        .kpi { border: 1px solid var(--line); border-radius: 8px; padding: .4rem .6rem; display: flex; flex-direction: column; }
        .kpi-value { font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums; }
        .kpi-label { font-size: .85rem; } .kpi-note { font-size: .75rem; color: var(--muted); }
        figure.chart { margin: .8rem 0; } svg.chart { display: block; overflow: visible; }
        .chart .grid { stroke: var(--line); } .chart .y-label, .chart .reference-label, .peak-label { fill: var(--muted); font-size: 11px;
          paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
        .chart .reference-label { text-anchor: end; }
        .chart .reference { stroke: var(--fg); stroke-dasharray: 4 3; opacity: .6; }
        .chart rect.drop { fill: var(--drop); } .chart rect.reconnect { fill: var(--reconnect); } .chart rect.hours { fill: var(--hours); }
        .chart rect.hit { fill: transparent; } .chart g.bar:hover rect.hit { fill: var(--line); opacity: .5; }
        .chart .mark.platform-wide { fill: var(--platform); }
        .chart .tick { stroke: var(--muted); } .chart .tick-label { fill: var(--muted); font-size: 12px; }
        .chart .incident { fill: var(--incident); opacity: .25; } .chart .incident.platform-wide { fill: var(--platform); opacity: .3; }
        .chart .drop { fill: var(--drop); } .chart circle.drop.bounced { fill: var(--bounced); }
        svg.occupancy path { fill: none; stroke: var(--accent); stroke-width: 2; }
        details.every summary { cursor: pointer; color: var(--accent); margin: .8rem 0 .3rem; }
        .empty, .updated, .meta, footer { color: var(--muted); }
        .updated { font-size: .85rem; }
        .stay { color: var(--muted); white-space: nowrap; }
        footer { padding: 1rem; border-top: 1px solid var(--line); font-size: .85rem; }
        svg.bar { width: 60px; height: 10px; vertical-align: middle; fill: var(--drop); }
        figure.timeline { margin: .4rem 0; }
        figure.timeline svg { display: block; overflow: visible; }
        figcaption { font-size: .8rem; color: var(--muted); }
        .timeline .tick { stroke: var(--line); }
        .timeline .tick-label, .timeline .lane-label { fill: var(--muted); font-size: 12px; }
        .timeline .lane { stroke: var(--line); stroke-width: 2; }
        .timeline .incident { fill: var(--incident); opacity: .45; }
        .timeline .incident.platform-wide { fill: var(--platform); opacity: .7; }
        .timeline .drop { fill: var(--drop); stroke: var(--bg); stroke-width: 1.5; }
        .timeline .drop.bounced { fill: var(--bounced); }
        .key { display: inline-block; width: .8em; height: .8em; border-radius: 50%; vertical-align: middle; margin-left: .6rem; }
        .key.drop { background: var(--drop); } .key.bounced { background: var(--bounced); } .key.reconnect { background: var(--reconnect); border-radius: 2px; }
        .key.incident { background: var(--incident); border-radius: 2px; } .key.platform-wide { background: var(--platform); border-radius: 2px; }
        @media (max-width: 600px) { body { font-size: 15px; } th, td { padding: .3rem .35rem; } main { padding: 0 .6rem 1rem; } }

        """

    /// Live updates: the server announces each new projection version over Server-Sent Events;
    /// the page then fetches itself and swaps `<main>` (no reload, no rendering in the browser).
    /// Counters of time in the room keep ticking in between.
    static let script = """
        "use strict";
        (() => {
          const status = document.getElementById("live");
          const show = (text, state) => { status.textContent = text; status.dataset.state = state; };
          let loading = false, again = false;
          async function refresh() {
            if (loading) { again = true; return; }
            loading = true;
            try {
              const response = await fetch(location.href, { cache: "no-store", credentials: "same-origin" });
              if (!response.ok) throw new Error("HTTP " + response.status);
              const page = new DOMParser().parseFromString(await response.text(), "text/html");
              document.querySelector("main").replaceWith(page.querySelector("main"));
              show("live", "live");
            } catch (error) {
              show("update failed: " + error.message, "error");
            } finally {
              loading = false;
              if (again) { again = false; refresh(); }
            }
          }
          // Hundreds of open pages hear of a change at once: each waits a moment at random, and a
          // page in a hidden tab waits until it is shown again.
          let pending = false;
          const later = () => {
            if (document.hidden) { pending = true; return; }
            setTimeout(refresh, Math.random() * 400);
          };
          document.addEventListener("visibilitychange", () => { if (!document.hidden && pending) { pending = false; refresh(); } });
          const events = new EventSource(document.body.dataset.events);
          events.addEventListener("version", (event) => {
            show("live", "live");
            if (event.data !== document.querySelector("main").dataset.version) later();
          });
          // A dropped stream is retried by the browser; a refused one (503: too many) is not.
          events.onerror = () => show(events.readyState === EventSource.CLOSED ? "not live: reload" : "reconnecting…", "error");
          const duration = (seconds) => {
            seconds = Math.max(0, Math.floor(seconds));
            if (seconds < 60) return seconds + " s";
            const minutes = Math.floor(seconds / 60);
            if (minutes < 60) return minutes + " min";
            return Math.floor(minutes / 60) + " h " + String(minutes % 60).padStart(2, "0") + " min";
          };
          setInterval(() => {
            for (const counter of document.querySelectorAll("[data-since]")) {
              counter.textContent = duration((Date.now() - Number(counter.dataset.since)) / 1000 + Number(counter.dataset.base));
            }
          }, 10000);
        })();

        """
}

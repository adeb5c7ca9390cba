/// The page's inline CSS and script.
///
/// A light, print-friendly layout in a single column of readable width: serif text as in a
/// paper, sans-serif charts and labels, booktabs-style tables. The script only makes legend
/// entries toggle their series; the page reads the same without it.
enum ReportStylesheet {
  /// The Content-Security-Policy of the page: nothing may be loaded from anywhere, only the
  /// page's own inline style and script run, and images may only be `data:` URIs.
  static let contentSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'"

  static let css = """
    :root {
      --text: #1b1b1b; --muted: #5c5c5c; --rule: #d4d4d4; --accent: #0b5c99; --paper: #ffffff;
      --serif: "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, "DejaVu Serif", serif;
      --sans: "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif;
      --mono: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: var(--paper); color: var(--text); font: 16px/1.6 var(--serif); }
    .page { max-width: 920px; margin: 0 auto; padding: 48px 36px 72px; }
    h1, h2, h3, nav, .meta, .badge, .figure-title, .table-figure > figcaption { font-family: var(--sans); }
    h1 { font-size: 30px; line-height: 1.2; font-weight: 650; margin: 0 0 14px; letter-spacing: -0.01em; }
    h2 { font-size: 21px; font-weight: 650; margin: 0 0 14px; padding-bottom: 6px;
      border-bottom: 1px solid var(--rule); }
    h2 .number { color: var(--muted); font-weight: 500; margin-right: 0.55em; }
    h3 { font-size: 16px; font-weight: 650; margin: 0; }
    p { margin: 0 0 12px; }
    .lead { font-size: 18px; color: #2b2b2b; }
    .meta { font-size: 13px; color: var(--muted); margin-top: 4px; }
    a { color: var(--accent); text-decoration: none; }
    a:hover { text-decoration: underline; }
    nav.toc { margin: 28px 0 40px; padding: 14px 18px; border: 1px solid var(--rule); border-radius: 4px;
      background: #fafafa; font-size: 14px; }
    nav.toc h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted);
      border: 0; padding: 0; margin: 0 0 6px; }
    nav.toc ol { margin: 0; padding-left: 1.6em; columns: 2; column-gap: 36px; }
    nav.toc li { padding: 1px 0; break-inside: avoid; }
    section { margin: 0 0 48px; }
    figure { margin: 22px 0; }
    svg.chart { display: block; max-width: 100%; height: auto; }
    .legend-item { cursor: pointer; }
    .legend-item.off { opacity: 0.3; }
    .series.hidden { display: none; }
    .svg-figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
    .figure-title { font-size: 14px; font-weight: 600; margin-bottom: 8px; }
    figcaption { font-size: 14px; color: var(--muted); margin-top: 8px; }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 8px 28px;
      align-items: start; margin: 22px 0; }
    .grid > .cell > figure { margin-top: 0; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; font: 14px/1.4 var(--sans); border-top: 1.5px solid #222;
      border-bottom: 1.5px solid #222; }
    .table-figure > figcaption { color: var(--text); font-size: 14px; font-weight: 600; margin: 0 0 8px; }
    th { font-size: 13px; font-weight: 600; border-bottom: 1px solid #222; }
    th, td { padding: 5px 14px 5px 0; text-align: left; vertical-align: baseline; }
    th:last-child, td:last-child { padding-right: 0; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    tr.emphasized td { font-weight: 700; background: #f1f5f9; }
    pre.code { margin: 18px 0; padding: 12px 16px; background: #f6f7f9; border: 1px solid #e2e4e8; border-radius: 4px;
      font: 13px/1.55 var(--mono); white-space: pre-wrap; overflow-wrap: anywhere; }
    .verdict { margin: 18px 0; padding: 16px 20px 10px; border: 1px solid var(--rule);
      border-left: 5px solid var(--outcome); border-radius: 4px; background: #fff; break-inside: avoid; }
    .verdict.supported { --outcome: #00734f; --badge: #e3f4ec; }
    .verdict.not-supported { --outcome: #b34700; --badge: #fbeadf; }
    .verdict.inconclusive { --outcome: #5c5c5c; --badge: #efefef; }
    .verdict header { display: flex; align-items: baseline; gap: 12px; margin-bottom: 8px; flex-wrap: wrap; }
    .badge { font-size: 12px; font-weight: 700; letter-spacing: 0.05em; text-transform: uppercase;
      color: var(--outcome); background: var(--badge); border: 1px solid var(--outcome); border-radius: 3px;
      padding: 2px 8px; white-space: nowrap; }
    .claim { color: var(--muted); font-weight: 600; margin-right: 0.35em; }
    .statement { font-style: italic; }
    table.evidence { width: 100%; table-layout: fixed; margin: 6px 0 12px; font-size: 13.5px; }
    table.evidence th:nth-child(2), table.evidence th:nth-child(3) { width: 17%; }
    table.evidence th:nth-child(4) { width: 7%; }
    .interval-cell { width: 156px; padding-left: 16px; }
    svg.interval { display: block; }
    .explanation { color: #333; font-size: 15px; }
    @media print {
      body { font-size: 10.5pt; }
      .page { max-width: none; padding: 0; }
      nav.toc { background: none; }
      figure, table, pre, .verdict, .grid > .cell { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
      a { color: inherit; }
    }
    """

  static let script = """
    (function () {
      document.querySelectorAll("svg.chart .legend-item").forEach(function (item) {
        item.addEventListener("click", function () {
          var off = item.classList.toggle("off");
          var selector = '.series[data-series="' + item.getAttribute("data-series") + '"]';
          item.ownerSVGElement.querySelectorAll(selector).forEach(function (element) {
            element.classList.toggle("hidden", off);
          });
        });
      });
    })();
    """
}

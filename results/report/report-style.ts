// The stylesheet of the report and campaign pages: one column that reads on a
// laptop and narrows to a phone's width, tables that scroll sideways instead
// of squeezing, and verdict colours that also carry a word (never colour alone).

export const reportStyle = `
:root { --valid: #1b7f3b; --invalid: #c62828; --unknown: #9a6700; --crashed: #6a1b9a; --line: #d0d7de; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; background: #f6f8fa; }
main { max-width: 1200px; margin: 0 auto; padding: 16px; }
h1 { font-size: 22px; margin: 0; word-break: break-all; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
section, header.summary { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
.title-row { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; }
.verdict-badge { font-weight: 700; text-transform: uppercase; padding: 3px 12px; border-radius: 999px; color: #fff; letter-spacing: .04em; }
.verdict-badge.verdict-valid { background: var(--valid); } .verdict-badge.verdict-invalid { background: var(--invalid); }
.verdict-badge.verdict-unknown { background: var(--unknown); } .verdict-badge.verdict-crashed { background: var(--crashed); }
.checkers { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px; margin: 14px 0; }
.checker { border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; padding: 8px 10px; }
.checker.verdict-valid { border-left-color: var(--valid); } .checker.verdict-invalid { border-left-color: var(--invalid); background: #fff5f5; }
.checker.verdict-unknown { border-left-color: var(--unknown); background: #fffbea; }
.checker-head { display: flex; justify-content: space-between; font-weight: 600; }
.checker-verdict { text-transform: uppercase; font-size: 12px; }
.verdict-valid .checker-verdict { color: var(--valid); } .verdict-invalid .checker-verdict { color: var(--invalid); } .verdict-unknown .checker-verdict { color: var(--unknown); }
.checker-figure { font-size: 16px; font-weight: 600; margin: 4px 0; }
.checker-summary { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 4px 16px; margin: 8px 0; }
.facts div { display: flex; gap: 6px; min-width: 0; } .facts dt { color: var(--muted); flex: none; } .facts dd { margin: 0; overflow-wrap: anywhere; }
.repro { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; margin-top: 8px; }
.repro span { color: var(--muted); }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.repro code { background: #f0f3f6; padding: 4px 8px; border-radius: 4px; overflow-wrap: anywhere; flex: 1 1 300px; }
.note { color: var(--muted); font-size: 12px; }
pre.crash { background: #fbeff2; padding: 8px; overflow-x: auto; max-height: 240px; }
.chart-box { position: relative; height: 340px; margin-bottom: 8px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; min-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, .evidence td, .evidence th, .runs td:first-child { text-align: left; }
.runs td.figures { text-align: left; white-space: normal; min-width: 300px; font-size: 12px; }
.runs td.figures .verdict-invalid { color: var(--invalid); } .runs td.figures .verdict-unknown { color: var(--unknown); }
.runs tr.mismatch { background: #fff5f5; }
.evidence td { white-space: normal; overflow-wrap: anywhere; min-width: 90px; }
.outcome-ok { color: var(--valid); } .outcome-fail { color: var(--invalid); } .outcome-info { color: var(--unknown); }
.failure-view { border-color: var(--invalid); }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: middle; }
.swatch.prefix { background: #7cc48d; } .swatch.breaking { background: #e05555; } .swatch.window { border: 2px solid #b7791f; }
.lin-scroll { overflow-x: auto; }
.lin-lanes { min-width: 880px; display: block; }
.lin-lanes text { font: 11px ui-monospace, Menlo, monospace; pointer-events: none; }
.lin-lanes .lane-label { fill: var(--muted); } .lane-line { stroke: #eaeef2; }
.lin-op { cursor: pointer; outline: none; }
.lin-op rect { fill: #c9d1d9; stroke: #8c959f; stroke-width: 1; }
.lin-op.role-prefix rect { fill: #7cc48d; stroke: #2f7d46; }
.lin-op.role-breaking rect { fill: #e05555; stroke: #8b1a1a; stroke-width: 2.5; }
.lin-op.in-window rect { stroke: #b7791f; stroke-width: 2.5; }
.lin-op.open rect { stroke-dasharray: 5 3; }
.lin-op:hover rect, .lin-op:focus rect, .lin-op.selected rect { stroke: #0969da; stroke-width: 3; }
.lin-tabs { display: flex; gap: 6px; margin: 6px 0; }
.lin-tab { border: 1px solid var(--line); background: #f6f8fa; border-radius: 6px; padding: 3px 10px; cursor: pointer; font: inherit; }
.lin-tab.active { background: #0969da; color: #fff; border-color: #0969da; }
.lin-pinned { white-space: pre-wrap; border: 1px dashed var(--line); border-radius: 6px; padding: 6px 8px; margin-top: 6px; }
.lin-pinned.has-op { color: #1f2328; font: 12px/1.4 ui-monospace, Menlo, monospace; }
.lin-tooltip { position: fixed; z-index: 10; max-width: min(440px, 92vw); white-space: pre-wrap; background: #1f2328; color: #fff; padding: 6px 8px; border-radius: 6px; font: 12px/1.4 ui-monospace, Menlo, monospace; pointer-events: none; }
details.config pre { overflow-x: auto; max-height: 420px; font-size: 12px; }
a { color: #0969da; }
@media (max-width: 600px) {
  main { padding: 8px; }
  section, header.summary { padding: 10px; border-radius: 6px; }
  h1 { font-size: 18px; }
  .chart-box { height: 260px; }
  .checkers { grid-template-columns: 1fr; }
  .facts { grid-template-columns: 1fr; }
}
`;

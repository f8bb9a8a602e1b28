// The html report's stylesheet and script, inlined into the page: the report is one file that
// opens from file:// with no network (the page's Content-Security-Policy forbids any fetch).

export const STYLE = `
:root { --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --bg: #fff; --bad: #d62728; --good: #2ca02c; --todo: #b58900; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 16px 24px 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0 0 4px; }
.counts span { margin-right: 12px; }
.counts .failed, .counts .error { color: var(--bad); font-weight: 600; }
.counts .passed { color: var(--good); font-weight: 600; }
.counts .todo { color: var(--todo); }
.controls { margin: 8px 0 0; color: var(--muted); }
.key { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 8px 0 0; color: var(--muted); font-size: 12px; }
.key i { display: inline-block; width: 12px; height: 12px; vertical-align: -2px; margin-right: 4px; border-radius: 2px; }
nav { padding: 8px 24px; border-bottom: 1px solid var(--line); }
nav ul { margin: 0; padding: 0; list-style: none; columns: 2; }
nav a { color: inherit; text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { padding: 8px 24px 48px; }
details.scenario { border: 1px solid var(--line); border-radius: 6px; margin: 12px 0; padding: 0 12px; }
details.scenario > summary { cursor: pointer; padding: 10px 0; font-weight: 600; }
details.scenario > summary .file { color: var(--muted); font-weight: 400; margin-left: 8px; font-size: 12px; }
.badge { display: inline-block; min-width: 64px; text-align: center; font-size: 11px; padding: 1px 6px; border-radius: 10px; color: #fff; margin-right: 6px; }
.badge.passed { background: var(--good); } .badge.failed, .badge.error { background: var(--bad); } .badge.todo { background: var(--todo); }
.meta { color: var(--muted); margin: 0 0 8px; }
.timeline-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 4px; background: #fcfcfd; }
svg.timeline { display: block; font: 11px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
svg .group { font-weight: 700; fill: var(--fg); }
svg .label { fill: var(--fg); }
svg .note { fill: var(--muted); font-style: italic; }
svg .tick { fill: var(--muted); }
svg .axis { stroke: #8c959f; }
svg .grid { stroke: #eaeef2; }
svg .seg { stroke: #fff; stroke-width: 0.5; }
svg .s-Pending { fill: #f2c14e; } svg .s-Running { fill: #9ecae1; } svg .s-Ready { fill: #31a354; }
svg .s-Terminating { fill: #b07aa1; } svg .s-Succeeded { fill: #636363; } svg .s-Failed { fill: #d62728; } svg .s-Unknown { fill: #d9d9d9; }
svg .s-ready { fill: #31a354; } svg .s-notready { fill: #fdd0a2; } svg .s-terminating { fill: #b07aa1; }
svg .mark.request.failed { stroke: var(--bad); stroke-width: 2; fill: none; }
svg .marker line { stroke: #444; stroke-dasharray: 4 3; }
svg .marker text { fill: #444; font-weight: 700; }
svg .marker.fault line { stroke: #e6550d; } svg .marker.fault text { fill: #e6550d; }
svg .marker.step.failed line { stroke: var(--bad); } svg .marker.step.failed text { fill: var(--bad); }
svg .marker.failure line { stroke: var(--bad); stroke-width: 2; stroke-dasharray: none; }
svg .marker.failure text { fill: var(--bad); }
svg .marker.failure .highlight { fill: rgba(214, 39, 40, 0.22); }
svg .marker.failure .window { fill: rgba(214, 39, 40, 0.07); }
svg .cursor line { stroke: #0969da; } svg .cursor text { fill: #0969da; font-weight: 700; }
ol.steps { padding-left: 0; list-style: none; font-size: 13px; }
ol.steps li { margin: 2px 0; }
ol.steps .t { display: inline-block; min-width: 64px; color: var(--muted); font-family: ui-monospace, monospace; }
ol.steps .error { color: var(--bad); }
ol.steps pre { margin: 2px 0 4px 64px; }
ol.steps pre.view { background: #0d1117; color: #e6edf3; }
ol.steps li:target { outline: 2px solid var(--accent, #0969da); }
svg a.view-link text { text-decoration: underline; cursor: pointer; }
pre { background: #f6f8fa; border-radius: 4px; padding: 8px 10px; overflow-x: auto; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 4px 0; }
.failure { border-left: 3px solid var(--bad); padding-left: 10px; margin: 10px 0; }
.failure h4 { margin: 0; color: var(--bad); }
.failure code { color: var(--muted); font-weight: 400; }
h3 { font-size: 15px; margin: 14px 0 4px; }
body.only-failures details.scenario.passed, body.only-failures details.scenario.todo,
body.only-failures nav li.passed, body.only-failures nav li.todo { display: none; }
`;

/**
 * A cursor that follows the mouse over a timeline and reads out the virtual time, and the
 * "only failures" filter. Everything else works without it.
 */
export const SCRIPT = `
(function () {
  'use strict';
  var toggle = document.getElementById('only-failures');
  if (toggle) toggle.addEventListener('change', function () { document.body.classList.toggle('only-failures', toggle.checked); });
  function fmt(ms) {
    if (ms < 1000) return Math.round(ms) + 'ms';
    var s = Math.round(ms / 100) / 10, m = Math.floor(s / 60), h = Math.floor(m / 60);
    s = Math.round((s - m * 60) * 10) / 10; m -= h * 60;
    return (h ? h + 'h' : '') + (m ? m + 'm' : '') + (s || (!h && !m) ? s + 's' : '');
  }
  var svgs = document.querySelectorAll('svg.timeline');
  for (var i = 0; i < svgs.length; i++) (function (svg) {
    var cursor = svg.querySelector('.cursor');
    if (!cursor) return;
    var line = cursor.querySelector('line'), text = cursor.querySelector('text');
    var end = Number(svg.getAttribute('data-end')), lw = Number(svg.getAttribute('data-label-w')), pw = Number(svg.getAttribute('data-plot-w'));
    svg.addEventListener('mousemove', function (e) {
      var box = svg.getBoundingClientRect();
      var x = (e.clientX - box.left) * (svg.viewBox.baseVal.width / box.width);
      if (x < lw || x > lw + pw) { cursor.setAttribute('visibility', 'hidden'); return; }
      line.setAttribute('x1', x); line.setAttribute('x2', x);
      text.setAttribute('x', x + 4);
      text.textContent = fmt(((x - lw) / pw) * end);
      cursor.setAttribute('visibility', 'visible');
    });
    svg.addEventListener('mouseleave', function () { cursor.setAttribute('visibility', 'hidden'); });
  })(svgs[i]);
})();
`;

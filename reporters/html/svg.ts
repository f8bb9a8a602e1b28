// Draws a Timeline as inline SVG, generated here rather than in the browser: the page then shows
// the timeline with scripts off, and the markup is deterministic and testable without a browser.
// Every drawn thing carries a <title>, which browsers show as a tooltip with no script at all.

import { formatVirtual } from '../terminal.js';
import type { Marker, MemberState, PodState, Segment, Timeline } from './timeline.js';

export const LABEL_W = 230;
export const PLOT_W = 860;
const RIGHT_PAD = 16;
const ROW_H = 16;
const ROW_GAP = 4;
const HEAD_H = 18;
const MARKER_ROW_H = 18;
const AXIS_H = 20;

/** Distinct hues for telling pods apart (request marks use their pod's colour). */
export const POD_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#393b79', '#637939'];

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A number as SVG wants it: at most 2 decimals, no trailing zeros, never "-0". */
function n(x: number): string {
  const r = Math.round(x * 100) / 100;
  return String(r === 0 ? 0 : r);
}

/** Tick spacing of 1, 2 or 5 times a power of ten, for about `target` ticks. */
export function tickStep(end: number, target = 8): number {
  if (end <= 0) return 1000;
  const raw = end / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

function truncate(s: string, max: number): string {
  return [...s].length > max ? `${[...s].slice(0, max - 1).join('')}…` : s;
}

function title(text: string): string {
  return `<title>${escapeHtml(text)}</title>`;
}

function segmentTitle(who: string, s: Segment<string>): string {
  return `${who}: ${s.state} from ${formatVirtual(s.from)} to ${formatVirtual(s.to)}${s.detail ? ` (${s.detail})` : ''}`;
}

export function renderTimelineSvg(tl: Timeline, id: string): string {
  const end = tl.end > 0 ? tl.end : 1000;
  const x = (t: number): number => LABEL_W + (Math.min(Math.max(t, 0), end) / end) * PLOT_W;
  const width = LABEL_W + PLOT_W + RIGHT_PAD;
  const body: string[] = [];
  let y = MARKER_ROW_H + AXIS_H;

  const heading = (text: string, cls: string): void => {
    body.push(`<text class="group ${cls}" x="4" y="${n(y + HEAD_H - 5)}">${escapeHtml(text)}</text>`);
    y += HEAD_H;
  };
  const label = (text: string, cls: string, indent = 8): void => {
    body.push(`<text class="label ${cls}" x="${indent}" y="${n(y + ROW_H - 4)}">${escapeHtml(truncate(text, 34))}${title(text)}</text>`);
  };
  const segs = <S extends string>(who: string, segments: Segment<S>[], cls: string): string[] =>
    segments.map(
      (s) =>
        `<rect class="seg ${cls} s-${s.state}" data-state="${s.state}" x="${n(x(s.from))}" y="${n(y)}" width="${n(Math.max(1, x(s.to) - x(s.from)))}" height="${ROW_H}">${title(segmentTitle(who, s))}</rect>`,
    );

  if (tl.pods.length > 0) {
    heading('Pods', 'pods');
    for (const p of tl.pods) {
      const who = p.namespace && p.namespace !== 'default' ? `${p.namespace}/${p.name}` : p.name;
      const colour = POD_COLOURS[p.index % POD_COLOURS.length];
      body.push(`<g class="lane pod" data-pod="${escapeHtml(who)}">`);
      body.push(`<rect class="swatch" x="8" y="${n(y + 3)}" width="10" height="10" fill="${colour}"/>`);
      label(who, 'pod', 24);
      body.push(...segs<PodState>(who, p.segments, 'pod'));
      body.push('</g>');
      y += ROW_H + ROW_GAP;
    }
    if (tl.omittedPods > 0) {
      body.push(`<text class="note" x="8" y="${n(y + ROW_H - 4)}">${tl.omittedPods} more pods not drawn</text>`);
      y += ROW_H + ROW_GAP;
    }
  }

  for (const svc of tl.services) {
    const who = svc.namespace && svc.namespace !== 'default' ? `${svc.namespace}/${svc.name}` : svc.name;
    heading(`Service ${who}: endpoints`, 'service');
    if (svc.members.length === 0) {
      body.push(`<text class="note" x="8" y="${n(y + ROW_H - 4)}">no endpoints</text>`);
      y += ROW_H + ROW_GAP;
    }
    for (const m of svc.members) {
      body.push(`<g class="lane endpoint" data-service="${escapeHtml(who)}" data-pod="${escapeHtml(m.pod)}">`);
      label(m.pod, 'endpoint', 16);
      body.push(...segs<MemberState>(`${m.pod} in ${who}`, m.segments, 'member'));
      body.push('</g>');
      y += ROW_H + ROW_GAP;
    }
  }

  if (tl.requests.length > 0) {
    heading('Requests (colour: serving pod)', 'requests');
    const colourOf = new Map(tl.pods.map((p) => [p.name, POD_COLOURS[p.index % POD_COLOURS.length]]));
    body.push('<g class="lane requests">');
    const cy = y + ROW_H / 2;
    for (const r of tl.requests) {
      const cx = x(r.t);
      const tip = title(`${formatVirtual(r.t)}: ${r.text}`);
      if (r.ok) {
        const fill = (r.servedBy !== undefined ? colourOf.get(r.servedBy) : undefined) ?? '#555';
        body.push(`<circle class="mark request ok" cx="${n(cx)}" cy="${n(cy)}" r="4" fill="${fill}">${tip}</circle>`);
      } else {
        body.push(`<path class="mark request failed" d="M${n(cx - 4)} ${n(cy - 4)}L${n(cx + 4)} ${n(cy + 4)}M${n(cx - 4)} ${n(cy + 4)}L${n(cx + 4)} ${n(cy - 4)}">${tip}</path>`);
      }
    }
    body.push('</g>');
    y += ROW_H + ROW_GAP;
    if (tl.omittedRequests > 0) {
      body.push(`<text class="note" x="8" y="${n(y + ROW_H - 4)}">${tl.omittedRequests} more requests not drawn</text>`);
      y += ROW_H + ROW_GAP;
    }
  }

  if (!tl.traced) {
    body.push(`<text class="note" x="8" y="${n(y + ROW_H - 4)}">No trace in these results: lanes need the trace (the CLI keeps it when the html reporter is on).</text>`);
    y += ROW_H + ROW_GAP;
  } else if (tl.pods.length === 0 && tl.services.length === 0 && tl.requests.length === 0) {
    body.push(`<text class="note" x="8" y="${n(y + ROW_H - 4)}">No pods, endpoints or requests in this scenario's trace.</text>`);
    y += ROW_H + ROW_GAP;
  }
  const height = y + 4;

  // Axis and grid, drawn under the lanes.
  const under: string[] = [];
  const step = tickStep(end);
  const axisY = MARKER_ROW_H + AXIS_H - 6;
  under.push(`<line class="axis" x1="${LABEL_W}" y1="${axisY + 2}" x2="${LABEL_W + PLOT_W}" y2="${axisY + 2}"/>`);
  for (let t = 0; t <= end + 1e-9; t += step) {
    const tx = x(t);
    under.push(`<line class="grid" x1="${n(tx)}" y1="${axisY + 2}" x2="${n(tx)}" y2="${n(height)}"/>`);
    under.push(`<text class="tick" x="${n(tx)}" y="${axisY - 2}" text-anchor="middle">${escapeHtml(formatVirtual(t))}</text>`);
  }

  // Markers, drawn over the lanes so a failing instant is never hidden.
  const over: string[] = [];
  const sorted = [...tl.markers].sort((a, b) => a.t - b.t || order(a) - order(b));
  for (const m of sorted) {
    const mx = x(m.t);
    const cls = `marker ${m.kind}${m.failed ? ' failed' : ''}`;
    const tip = title(`${formatVirtual(m.t)}: ${m.text}`);
    over.push(`<g class="${cls}" data-t="${m.t}">`);
    if (m.from !== undefined) {
      const fx = x(m.from);
      over.push(`<rect class="window" x="${n(fx)}" y="${MARKER_ROW_H}" width="${n(mx - fx)}" height="${n(height - MARKER_ROW_H)}">${title(`${formatVirtual(m.from)}–${formatVirtual(m.t)}: ${m.text} (stopped holding at ${formatVirtual(m.from)})`)}</rect>`);
    }
    if (m.kind === 'failure') over.push(`<rect class="highlight" x="${n(mx - 3)}" y="${MARKER_ROW_H}" width="6" height="${n(height - MARKER_ROW_H)}">${tip}</rect>`);
    over.push(`<line x1="${n(mx)}" y1="${MARKER_ROW_H - 2}" x2="${n(mx)}" y2="${n(height)}"/>`);
    const label = `<text x="${n(mx + 2)}" y="${MARKER_ROW_H - 5}">${escapeHtml(m.label)}${tip}</text>`;
    // a step with a kubectl view links to it: the label opens the step's entry below the chart
    over.push(m.href !== undefined ? `<a href="${escapeHtml(m.href)}" class="view-link">${label}</a>` : label);
    over.push('</g>');
  }

  return [
    `<svg class="timeline" id="${escapeHtml(id)}" width="${width}" height="${n(height)}" viewBox="0 0 ${width} ${n(height)}" role="img" aria-label="timeline" data-end="${end}" data-label-w="${LABEL_W}" data-plot-w="${PLOT_W}">`,
    ...under,
    ...body,
    ...over,
    // moved by the page script; hidden until the mouse is over the plot
    `<g class="cursor" visibility="hidden"><line x1="0" y1="${MARKER_ROW_H}" x2="0" y2="${n(height)}"/><text x="0" y="${n(height - 4)}"></text></g>`,
    '</svg>',
  ].join('\n');
}

function order(m: Marker): number {
  return m.kind === 'failure' ? 2 : m.kind === 'fault' ? 1 : 0;
}

// A tiny SVG line plot for the HTML report: linear axes with "nice" ticks (1, 2 or 5 × 10^k),
// grid lines, axis labels, one polyline with a vertex per sample (plus dots when there are
// few), and an accessible name and description. Output is deterministic: coordinates are
// rounded to 0.1 px and every number is formatted without the locale.
import { formatCompact, formatDecimal } from './format.js';
import { esc } from './htmlEscape.js';
import { plural } from '../core/plural.js';

export interface PlotSpec {
  /** Unique in the page; prefixes the ids of the title and description. */
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly points: readonly (readonly [number, number])[];
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { left: 60, right: 16, top: 12, bottom: 42 };
const DOTS_MAX = 60;

/** Ticks covering [min, max] with about `count` steps; ends at multiples of the step. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  const lo0 = Number.isFinite(min) ? min : 0;
  let hi0 = Number.isFinite(max) ? max : 1;
  if (hi0 <= lo0) hi0 = lo0 === 0 ? 1 : lo0 + Math.abs(lo0);
  const raw = (hi0 - lo0) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo0 / step);
  const last = Math.ceil(hi0 / step);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

const px = (v: number): string => formatDecimal(v, 1);

// Not Math.min(...values): a day of per-second samples would overflow the argument list.
const least = (values: readonly number[], start: number): number =>
  values.reduce((m, v) => (v < m ? v : m), start);
const most = (values: readonly number[], start: number): number =>
  values.reduce((m, v) => (v > m ? v : m), start);

interface Scale {
  readonly ticks: number[];
  readonly at: (v: number) => number;
}

function scale(values: readonly number[], from: number, to: number): Scale {
  const ticks = niceTicks(least(values, 0), most(values, 0));
  const lo = ticks[0] ?? 0;
  const hi = ticks[ticks.length - 1] ?? 1;
  return { ticks, at: (v) => from + ((v - lo) / (hi - lo)) * (to - from) };
}

function axes(x: Scale, y: Scale, w: number, h: number, spec: PlotSpec): string[] {
  const left = MARGIN.left;
  const bottom = h - MARGIN.bottom;
  const out: string[] = ['<g class="axis" aria-hidden="true">'];
  for (const t of y.ticks) {
    const yy = px(y.at(t));
    out.push(
      `<line class="grid" x1="${left}" x2="${w - MARGIN.right}" y1="${yy}" y2="${yy}"/>`,
      `<text x="${left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(formatCompact(t))}</text>`,
    );
  }
  for (const t of x.ticks) {
    const xx = px(x.at(t));
    out.push(
      `<line class="tick" x1="${xx}" x2="${xx}" y1="${bottom}" y2="${bottom + 5}"/>`,
      `<text x="${xx}" y="${bottom + 18}" text-anchor="middle">${esc(formatCompact(t))}</text>`,
    );
  }
  out.push(
    `<line class="frame" x1="${left}" x2="${left}" y1="${MARGIN.top}" y2="${bottom}"/>`,
    `<line class="frame" x1="${left}" x2="${w - MARGIN.right}" y1="${bottom}" y2="${bottom}"/>`,
    `<text class="label" x="${px((left + w - MARGIN.right) / 2)}" y="${h - 6}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
    `<text class="label" transform="translate(14 ${px((MARGIN.top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
    '</g>',
  );
  return out;
}

function describe(spec: PlotSpec): string {
  const ys = spec.points.map((p) => p[1]);
  if (ys.length === 0) return `${spec.title}: no samples.`;
  const last = ys[ys.length - 1] ?? 0;
  return `${spec.title}: ${plural(ys.length, 'sample')}; minimum ${formatCompact(least(ys, Infinity))}, maximum ${formatCompact(most(ys, -Infinity))}, last ${formatCompact(last)}.`;
}

/** The <svg> element (role img, named by its <title>, described by its <desc>). */
export function linePlot(spec: PlotSpec): string {
  const w = spec.width ?? 480;
  const h = spec.height ?? 240;
  const id = esc(spec.id);
  const head = [
    `<svg class="plot" id="${id}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" data-points="${spec.points.length}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${esc(spec.title)}</title>`,
    `<desc id="${id}-desc">${esc(describe(spec))}</desc>`,
  ];
  const x = scale(
    spec.points.map((p) => p[0]),
    MARGIN.left,
    w - MARGIN.right,
  );
  const y = scale(
    spec.points.map((p) => p[1]),
    h - MARGIN.bottom,
    MARGIN.top,
  );
  const body = axes(x, y, w, h, spec);
  if (spec.points.length === 0) {
    body.push(
      `<text class="empty" x="${px(w / 2)}" y="${px(h / 2)}" text-anchor="middle">no samples</text>`,
    );
  } else {
    const xy = spec.points.map(([a, b]) => [px(x.at(a)), px(y.at(b))] as const);
    body.push(`<polyline class="line" points="${xy.map(([a, b]) => `${a},${b}`).join(' ')}"/>`);
    if (xy.length <= DOTS_MAX)
      body.push(...xy.map(([a, b]) => `<circle class="dot" cx="${a}" cy="${b}" r="2.5"/>`));
  }
  return [...head, ...body, '</svg>'].join('\n');
}

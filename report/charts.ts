// The report's five charts: vega-lite specs rendered server-side to inline SVG.
// Everything that reaches the SVG is a function of the RunResult: no clock, no locale, no random ids.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { RunResult } from '../engine/types.ts';

const WIDTH = 640;
const HEIGHT = 200;
/** Line charts keep at most this many points; more add nothing visible at this width but cost time. */
export const MAX_LINE_POINTS = 2 * WIDTH;

const silent = vega.logger(vega.None);

const CONFIG = {
  font: 'sans-serif',
  background: 'white',
  title: { anchor: 'start', fontSize: 13 },
  axis: { labelFontSize: 10, titleFontSize: 11 },
} as const;

export interface Chart {
  id: string;
  title: string;
  svg: string;
}

/**
 * Vega measures label widths with node-canvas when that package is installed and estimates them
 * otherwise; pinning the estimator keeps the bytes the same on every machine. textMetrics is a
 * runtime export of vega-scenegraph that vega's typings do not declare.
 */
function pinTextMetrics(): void {
  const metrics = (vega as unknown as { textMetrics?: { canvas(use: boolean): void } }).textMetrics;
  metrics?.canvas(false);
}

/**
 * Vega numbers clip paths and gradients from process-wide counters, so the same chart rendered twice
 * gets different ids, and five charts in one page would share "clip1". Renumber per chart, in order
 * of first appearance, under the chart's own prefix.
 */
export function stableSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) {
    if (!ids.has(m[1])) ids.set(m[1], `${prefix}-${ids.size + 1}`);
  }
  if (ids.size === 0) return svg;
  return svg.replace(/(\bid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => {
    const renamed = ids.get(id);
    return renamed === undefined ? all : lead + renamed;
  });
}

/** A vega-lite spec as an SVG string with stable ids (the same spec always gives the same bytes). */
export async function toSvg(spec: TopLevelSpec, id: string): Promise<string> {
  pinTextMetrics();
  const vg = compile(spec, { logger: silent }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger: silent });
  try {
    return stableSvgIds(await view.toSVG(), id);
  } finally {
    view.finalize();
  }
}

function noteSpec(title: string, note: string): TopLevelSpec {
  return {
    title,
    width: WIDTH,
    height: HEIGHT / 2,
    config: CONFIG,
    data: { values: [{ note }] },
    mark: { type: 'text', fontSize: 14, color: '#777' },
    encoding: { text: { field: 'note', type: 'nominal' } },
  };
}

/**
 * Keeps the first and last point and, per bucket of consecutive points, the lowest and the highest
 * (in their original order), so peaks and troughs (drawdowns) survive. Deterministic: no sampling.
 */
export function downsampleMinMax<T>(points: readonly T[], value: (p: T) => number, max: number): T[] {
  if (points.length <= max) return [...points];
  const buckets = Math.floor((max - 2) / 2);
  const inner = points.length - 2;
  const out: T[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      if (value(points[i]) < value(points[lo])) lo = i;
      if (value(points[i]) > value(points[hi])) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else out.push(points[Math.min(lo, hi)], points[Math.max(lo, hi)]);
  }
  out.push(points[points.length - 1]);
  return out;
}

interface EquityPoint {
  trade: number;
  capital: number;
  drawdown: number;
}

/** Capital after each closed trade, from trade 0 = initial capital; drawdown against the running peak. */
export function equityPoints(result: RunResult): EquityPoint[] {
  let peak = result.summary.initialCapital;
  const points: EquityPoint[] = [{ trade: 0, capital: peak, drawdown: 0 }];
  result.trades.forEach((t, i) => {
    peak = Math.max(peak, t.capitalAfter);
    points.push({ trade: i + 1, capital: t.capitalAfter, drawdown: peak > 0 ? t.capitalAfter / peak - 1 : 0 });
  });
  return points;
}

function equitySpec(points: EquityPoint[]): TopLevelSpec {
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values: downsampleMinMax(points, (p) => p.capital, MAX_LINE_POINTS) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'trade', type: 'quantitative', title: 'trade number' },
      y: { field: 'capital', type: 'quantitative', title: 'capital', scale: { zero: false } },
    },
  };
}

function drawdownSpec(points: EquityPoint[]): TopLevelSpec {
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values: downsampleMinMax(points, (p) => p.drawdown, MAX_LINE_POINTS) },
    mark: { type: 'area', color: '#c0392b', opacity: 0.6, line: { color: '#c0392b' } },
    encoding: {
      x: { field: 'trade', type: 'quantitative', title: 'trade number' },
      y: { field: 'drawdown', type: 'quantitative', title: 'drawdown', axis: { format: '.1%' } },
    },
  };
}

function dailySpec(result: RunResult): TopLevelSpec {
  const values = result.days.map((d) => ({ date: d.date, pnl: d.pnl, side: d.pnl < 0 ? 'loss' : 'gain' }));
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    mark: 'bar',
    encoding: {
      // dates stay strings (ordinal): a temporal axis would format in the machine's time zone
      x: { field: 'date', type: 'ordinal', sort: null, title: 'date', axis: { labelAngle: -45, labelOverlap: true } },
      y: { field: 'pnl', type: 'quantitative', title: 'pnl' },
      color: {
        field: 'side',
        type: 'nominal',
        scale: { domain: ['gain', 'loss'], range: ['#2e8b57', '#c0392b'] },
        legend: null,
      },
    },
  };
}

function histogramSpec(result: RunResult): TopLevelSpec {
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values: result.trades.map((t) => ({ net_pnl: t.netPnl })) },
    mark: 'bar',
    encoding: {
      x: { field: 'net_pnl', type: 'quantitative', bin: { maxbins: 40 }, title: 'net pnl per trade' },
      y: { aggregate: 'count', type: 'quantitative', title: 'trades' },
    },
  };
}

function exitReasonSpec(result: RunResult): TopLevelSpec {
  const values = Object.entries(result.summary.exitReasons)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason, count]) => ({ reason, count }));
  return {
    width: WIDTH,
    height: { step: 24 },
    config: CONFIG,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'reason', type: 'nominal', sort: null, title: 'exit reason' },
      x: { field: 'count', type: 'quantitative', title: 'trades', axis: { tickMinStep: 1, format: 'd' } },
    },
  };
}

/** The five charts, always five: an empty series renders a note instead of a plot. */
export async function renderCharts(result: RunResult): Promise<Chart[]> {
  const noTrades = result.trades.length === 0;
  const points = equityPoints(result);
  const plan: [string, string, () => TopLevelSpec, boolean, string][] = [
    ['equity', 'Equity (capital after each closed trade)', () => equitySpec(points), noTrades, 'no trades'],
    ['drawdown', 'Drawdown from running peak', () => drawdownSpec(points), noTrades, 'no trades'],
    ['daily-pnl', 'Daily PnL', () => dailySpec(result), result.days.length === 0, 'no days'],
    ['pnl-histogram', 'Net PnL per trade', () => histogramSpec(result), noTrades, 'no trades'],
    [
      'exit-reasons',
      'Exit reasons',
      () => exitReasonSpec(result),
      Object.keys(result.summary.exitReasons).length === 0,
      'no trades',
    ],
  ];
  const charts: Chart[] = [];
  // one at a time: a single vega View alive keeps peak memory flat on long runs
  for (const [id, title, spec, empty, note] of plan) {
    const s = empty ? noteSpec(title, note) : { ...spec(), title };
    charts.push({ id, title, svg: await toSvg(s, `chart-${id}`) });
  }
  return charts;
}

// What the Volume Shock report shows, as data: the trades CSV rows, the vega-lite specs of its charts
// (win rate by flow type, latency buckets, equity curve, predicted delta vs observed hedge) and the
// HTML page around the rendered SVGs. Rendering (vega) is the CLI's job; nothing here reads a clock.
import type { TopLevelSpec } from 'vega-lite';
import type { EvidencePackage } from './evidence.ts';
import type { HedgeObservation } from './observation.ts';
import type { ClosedTrade } from './paper-book.ts';

export type CsvCell = string | number | null;

export const TRADE_COLUMNS = [
  'id', 'event_id', 'flow_type', 'direction', 'onset', 'detection', 'entry_time', 'exit_time', 'entry_price', 'exit_price',
  'size', 'points', 'pnl', 'exit_reason', 'hold_minutes', 'latency_minutes', 'execution_latency_minutes', 'net_delta',
  'predicted_magnitude', 'predicted_timing_minutes', 'confidence', 'equity_after', 'win',
] as const;

const iso = (ms: number) => new Date(ms).toISOString();

export function tradeRows(trades: readonly ClosedTrade[]): CsvCell[][] {
  return trades.map((t) => [
    t.id, t.eventId, t.flowType, t.direction > 0 ? 'LONG' : 'SHORT', iso(t.onsetTime), iso(t.detectionTime), iso(t.entryTime), iso(t.exitTime),
    t.entryPrice, t.exitPrice, t.size, t.points, t.pnl, t.reason, t.holdMinutes, t.latencyMinutes, t.executionLatencyMinutes, t.netDelta,
    t.predictedMagnitude, t.predictedTimingMinutes, t.confidence, t.equityAfter, t.win ? 1 : 0,
  ]);
}

const WIDTH = 560;
const HEIGHT = 200;
const CONFIG = { font: 'sans-serif', background: 'white', title: { anchor: 'start', fontSize: 13 }, axis: { labelFontSize: 10, titleFontSize: 11 } } as const;

export interface ChartPlan {
  id: string;
  title: string;
  spec: TopLevelSpec;
}

function note(title: string, text: string): TopLevelSpec {
  return { title, width: WIDTH, height: HEIGHT / 2, config: CONFIG, data: { values: [{ text }] }, mark: { type: 'text', fontSize: 14, color: '#777' }, encoding: { text: { field: 'text', type: 'nominal' } } };
}

function rateBars(title: string, values: { label: string; rate: number; n: number }[], xTitle: string): TopLevelSpec {
  return {
    title,
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values: values.map((v) => ({ ...v, text: `${(v.rate * 100).toFixed(1)}% (n=${v.n})` })) },
    layer: [
      { mark: 'bar', encoding: { x: { field: 'label', type: 'nominal', sort: null, title: xTitle, axis: { labelAngle: 0 } }, y: { field: 'rate', type: 'quantitative', title: 'win rate', scale: { domain: [0, 1] }, axis: { format: '.0%' } } } },
      { mark: { type: 'text', dy: -6 }, encoding: { x: { field: 'label', type: 'nominal', sort: null }, y: { field: 'rate', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } } },
    ],
  };
}

/** The report's charts, always four: an empty series becomes a note. */
export function chartPlans(e: EvidencePackage, trades: readonly ClosedTrade[], obs: readonly HedgeObservation[], initial: number, maxPoints = 2 * WIDTH): ChartPlan[] {
  const pm = e.performance_metrics;
  const byType = [
    ['INSTITUTIONAL_SWEEP', pm.institutional_sweep_performance],
    ['GAMMA_EMERGENCY', pm.gamma_emergency_performance],
    ['AMBIGUOUS_SIGNAL', pm.ambiguous_signal_performance],
  ] as const;
  const typeValues = byType.filter(([, p]) => p.win_rate !== null).map(([label, p]) => ({ label, rate: p.win_rate!, n: p.sample_size }));
  const bucketValues = Object.entries(pm.execution_latency_stats.buckets).map(([label, b]) => ({ label, rate: b.success_rate, n: b.sample_size }));
  const equity = [{ trade: 0, equity: initial }, ...trades.map((t, i) => ({ trade: i + 1, equity: t.equityAfter }))];
  const step = Math.max(1, Math.ceil(equity.length / maxPoints));
  const shown = equity.filter((_, i) => i % step === 0 || i === equity.length - 1);
  const observed = obs.map((o) => ({ predicted: o.predictedQuantity, observed: o.observedFlow ?? o.priceChange, flow_type: o.flowType }));
  const yTitle = obs.some((o) => o.kind === 'flow') ? 'observed signed hedge volume' : 'observed price change';
  return [
    { id: 'win-by-flow-type', title: 'Win rate by flow type', spec: typeValues.length === 0 ? note('Win rate by flow type', 'no trades') : rateBars('Win rate by flow type', typeValues, 'flow type') },
    { id: 'latency-buckets', title: 'Win rate by latency (onset → entry)', spec: bucketValues.length === 0 ? note('Win rate by latency', 'no trades') : rateBars('Win rate by latency (onset → entry)', bucketValues, 'latency bucket') },
    {
      id: 'equity',
      title: 'Equity after each closed trade',
      spec: trades.length === 0
        ? note('Equity after each closed trade', 'no trades')
        : { title: 'Equity after each closed trade', width: WIDTH, height: HEIGHT, config: CONFIG, data: { values: shown }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 'trade', type: 'quantitative', title: 'trade number' }, y: { field: 'equity', type: 'quantitative', title: 'equity', scale: { zero: false } } } },
    },
    {
      id: 'delta-vs-hedge',
      title: 'Predicted net delta vs observed hedge',
      spec: observed.length === 0
        ? note('Predicted net delta vs observed hedge', 'no observed events')
        : { title: 'Predicted net delta vs observed hedge', width: WIDTH, height: HEIGHT, config: CONFIG, data: { values: observed }, mark: { type: 'point', filled: true, opacity: 0.6 }, encoding: { x: { field: 'predicted', type: 'quantitative', title: 'net delta (exposure units)' }, y: { field: 'observed', type: 'quantitative', title: yTitle }, color: { field: 'flow_type', type: 'nominal', title: 'flow type' } } },
    },
  ];
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const fmt = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const pct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`);

function table(rows: readonly (readonly string[])[], header?: readonly string[]): string {
  const head = header === undefined ? '' : `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  return `<table>${head}${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th class="l">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('')}</table>`;
}

const CSS = `body{font-family:sans-serif;margin:24px;color:#222;max-width:1000px}h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}th{background:#f5f5f5}th.l{text-align:left}
.VALIDATED{color:#2e8b57}.REJECTED{color:#c0392b}.INSUFFICIENT_DATA{color:#b9770e}li{font-size:13px;margin:3px 0}figure{margin:12px 0}`;

/** report.html: self-contained (inline CSS and SVG, no script). */
export function reportHtml(e: EvidencePackage, charts: readonly { id: string; svg: string }[], title: string): string {
  const pm = e.performance_metrics;
  const sm = e.statistical_measures;
  const hv = e.hypothesis_validation;
  const ci = pm.win_rate_confidence_interval;
  const key = table([
    ['verdict', e.experimental_validity],
    ['source / granularity', `${e.source} / ${e.granularity}`],
    ['trades', String(sm.sample_size)],
    ['win rate (95 % CI)', `${pct(pm.overall_win_rate)} (${pct(ci[0])} – ${pct(ci[1])})`],
    ['Sharpe (daily, annualised)', fmt(pm.sharpe_ratio, 2)],
    ['p-value vs random entry', fmt(sm.p_value, 4)],
    ['effect size (Cohen d)', fmt(sm.effect_size, 3)],
    ['statistical power', fmt(sm.statistical_power, 3)],
    ['max drawdown', pct(pm.maximum_drawdown)],
    ['average hold (minutes)', fmt(pm.average_hold_time_minutes, 1)],
    ['average points per trade', fmt(pm.average_points_per_trade, 2)],
    ['delta-flow R²', fmt(hv.delta_flow_correlation.correlation_coefficient, 3)],
    ['response-time correlation r', fmt(hv.response_time_correlation.correlation_coefficient, 3)],
    ['flow-type differentiation p', fmt(hv.flow_type_differentiation.p_value, 4)],
    ['events detected', String(e.detections.events)],
  ]);
  const types = table(
    ([['institutional sweep', pm.institutional_sweep_performance], ['gamma emergency', pm.gamma_emergency_performance], ['ambiguous', pm.ambiguous_signal_performance]] as const).map(([n, p]) => [
      n, String(p.sample_size), pct(p.win_rate), fmt(p.avg_win_points, 2), fmt(p.avg_loss_points, 2), fmt(p.avg_hold_time, 1),
    ]),
    ['flow type', 'trades', 'win rate', 'avg win (pts)', 'avg loss (pts)', 'avg hold (min)'],
  );
  const buckets = table(Object.entries(pm.execution_latency_stats.buckets).map(([b, v]) => [b, String(v.sample_size), pct(v.success_rate), fmt(v.avg_latency, 2)]), ['latency bucket', 'trades', 'win rate', 'avg latency (min)']);
  const criteria = table(Object.entries(e.success_criteria).map(([k, v]) => [k, v ? 'met' : 'not met']));
  const counts = table([
    ...Object.entries(e.detections.by_flow_type).map(([k, v]) => [`events: ${k}`, String(v)]),
    ...Object.entries(e.detections.refused_trades).map(([k, v]) => [`refused: ${k}`, String(v)]),
    ...Object.entries(e.detections.skipped_strikes).map(([k, v]) => [`skipped strikes: ${k}`, String(v)]),
  ]);
  const figures = charts.map((c) => `<figure>${c.svg}</figure>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>
<h1>${escapeHtml(title)}: <span class="${e.experimental_validity}">${e.experimental_validity}</span></h1>
<h2>What this data can show</h2><ul>${e.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
<h2>Evidence</h2>${key}
<h2>Charts</h2>${figures}
<h2>By flow type</h2>${types}
<h2>Latency buckets</h2>${buckets}
<h2>The seed's success criteria</h2>${criteria}
<h2>Detections and refusals</h2>${counts}
<p>Full figures: evidence.json; every trade: trades.csv. Definitions: docs/volume-shock.md.</p>
</body></html>
`;
}

// The ShockFlip research report: one self-contained HTML page (inline CSS and SVG, no script, no
// external resource) with the blueprint's plots and the Step 1–4 verdicts. Deterministic: the same
// inputs give the same bytes (no clock, no locale; numbers through toFixed / toPrecision).
import type { TopLevelSpec } from 'vega-lite';
import type { MetaModelReport } from './meta-model.ts';
import type { StepOutcome } from './meta-model-gate.ts';
import { cumulativeChart, examplesChart, heatmapChart, noteChart, partialDependenceChart, survivalChart, type ChartPlan } from './report-charts.ts';
import { cumulativeByBucket, diamondExamples, mfeSurvival } from './report-data.ts';
import type { HeatmapRow } from './report-heatmap.ts';
import type { SelectionReport } from './selection.ts';
import type { ZombieReport } from './zombie.ts';
import type { PriceBars, SimRules, TradeEvent } from './zombie-sim.ts';

/** Renders a vega-lite spec to an SVG string whose ids are prefixed with `id` (see report/charts.ts). */
export type SvgRenderer = (spec: TopLevelSpec, id: string) => Promise<string>;

export interface ReportChartOptions {
  /** example diamond events shown */
  examples: number;
  /** bars shown before / after each example's signal bar */
  preBars: number;
  postBars: number;
  /** rel_vol buckets of the cumulative-return chart */
  buckets: number;
  /** the survival curve's horizon (bars) and snap level (ATRs) */
  survivalHorizon: number;
  snapAtrMult: number;
  /** heatmap cells with fewer episodes are faded */
  heatmapMinN: number;
}

export const DEFAULT_REPORT_CHART_OPTIONS: ReportChartOptions = {
  examples: 4,
  preBars: 30,
  postBars: 60,
  buckets: 10,
  survivalHorizon: 60,
  snapAtrMult: 0.5,
  heatmapMinN: 15,
};

export interface ResearchReportInput {
  title?: string;
  /** what the data is (files, or "synthetic seed 7") */
  source: string;
  bars: PriceBars;
  events: readonly TradeEvent[];
  zombie: ZombieReport;
  /** Step 1, from bootstrap_snap_ci.json; null when not given */
  physics: StepOutcome | null;
  /** Step 3; a string when it could not run (e.g. too few months) */
  selection: SelectionReport | string | null;
  /** Step 4; a string when it was refused or could not run */
  metaModel: MetaModelReport | string | null;
  heatmap: readonly HeatmapRow[] | null;
  charts?: Partial<ReportChartOptions>;
}

const CSS = `
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:14px;margin-top:18px}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th{background:#f5f5f5}td.l,th.l{text-align:left}.pass{color:#2e8b57;font-weight:bold}.fail{color:#c0392b;font-weight:bold}
figure{margin:12px 0}.note{color:#777}
`;

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

function num(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : String(x);
}

function table(header: readonly string[], rows: readonly (readonly string[])[], leftCols = 1): string {
  const th = header.map((h, j) => `<th${j < leftCols ? ' class="l"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, j) => `<td${j < leftCols ? ' class="l"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`);
  return `<table><tr>${th}</tr>${body.join('')}</table>`;
}

function status(passed: boolean | null): string {
  if (passed === null) return '<span class="note">not run</span>';
  return passed ? '<span class="pass">pass</span>' : '<span class="fail">fail</span>';
}

function verdictTable(r: ResearchReportInput): string {
  const sel = r.selection;
  const mm = r.metaModel;
  const rows: [string, boolean | null, string][] = [
    ['Step 1 — physics (diamond snap ≥ 85 %)', r.physics?.passed ?? null, r.physics === null ? 'no bootstrap_snap_ci.json given' : (r.physics.reasons ?? []).join('; ')],
    ['Step 2 — hygiene (zombie exit)', r.zombie.verdict.passed, r.zombie.verdict.passed ? `PF ${num(r.zombie.verdict.baselinePf, 3)} → ${num(r.zombie.verdict.variantPf, 3)}, ${num(r.zombie.verdict.tradesPerMonth, 1)} trades/month` : r.zombie.verdict.reasons.join('; ')],
    ['Step 3 — selection (divergence context)', sel === null || typeof sel === 'string' ? null : sel.verdict.passed, sel === null ? 'not run' : typeof sel === 'string' ? sel : sel.verdict.passed ? `selected: ${sel.verdict.selected.join(', ')}` : sel.verdict.reasons[0]],
    ['Step 4 — meta-model', mm === null || typeof mm === 'string' ? null : mm.acceptance.passed, mm === null ? 'not run' : typeof mm === 'string' ? mm : mm.acceptance.passed ? `OOS PF ${num(mm.oos.pfAll, 3)} → ${num(mm.oos.pfTaken, 3)}; ${mm.acceptance.pending}` : mm.acceptance.reasons.join('; ')],
  ];
  const body = rows.map(([k, p, d]) => `<tr><td class="l">${escapeHtml(k)}</td><td class="l">${status(p)}</td><td class="l">${escapeHtml(d)}</td></tr>`);
  return `<table><tr><th class="l">step</th><th class="l">verdict</th><th class="l">detail</th></tr>${body.join('')}</table>`;
}

function zombieTables(z: ZombieReport): string {
  const rows = z.runs.map((r) => [
    r.name, String(r.stats.trades), num(r.stats.profitFactor, 3), pct(r.stats.totalReturn, 2), num(r.stats.meanReturnAtr, 3), num(r.stats.tradesPerMonth, 2),
    Object.entries(r.stats.exitReasons).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${v}`).join(', ') || '—',
  ]);
  const o = z.options;
  return table(['run', 'trades', 'PF', 'Σ net return', 'mean ATRs', 'trades/month', 'exit reasons'], rows) +
    `<p class="note">${num(z.months, 2)} months of bars; universe ${o.universe}; TP/SL long ${o.long.tpMult}/${o.long.slMult}, short ${o.short.tpMult}/${o.short.slMult} ATR; cooldown ${o.cooldownBars} bars; zombie rule bar ${o.zombie.bar}, ${o.zombie.mfeAtr} ATR, mode ${o.zombie.mode}; partial take ${o.partialTake.fraction} at ${o.partialTake.atrMult} ATR; verdict on ${o.verdict.variant}.</p>`;
}

function selectionTables(s: SelectionReport | string | null): string {
  if (s === null) return '<p class="note">not run</p>';
  if (typeof s === 'string') return `<p class="note">${escapeHtml(s)}</p>`;
  const rows = s.features.flatMap((f) => f.months.map((m) => [
    f.feature, f.range === null ? '—' : `(${num(f.range[0], 3)}, ${num(f.range[1], 3)}]`, m.month,
    `${m.table.a}/${m.table.a + m.table.b}`, `${m.table.c}/${m.table.c + m.table.d}`, num(m.lift, 3), m.p.toPrecision(3), m.q.toPrecision(3), m.significant ? 'yes' : 'no',
  ]));
  return `<p>In-sample: events before ${escapeHtml(s.inSampleEnd.slice(0, 10))}; OOS months ${escapeHtml(s.oosMonths.join(', '))}; Fisher exact one-sided, BH (${escapeHtml(s.options.fdrFamily)}) at ${s.options.alpha}.</p>` +
    table(['feature', 'bucket (in-sample)', 'OOS month', 'snaps in bucket', 'snaps outside', 'lift', 'p', 'BH q', 'significant'], rows, 3) +
    `<p class="note">${s.features.filter((f) => f.note !== '').map((f) => escapeHtml(`${f.feature}: ${f.note}`)).join('<br>')}</p>`;
}

function metaModelTables(m: MetaModelReport | string | null): string {
  if (m === null) return '<p class="note">not run</p>';
  if (typeof m === 'string') return `<p class="fail">${escapeHtml(m).replaceAll('\n', '<br>')}</p>`;
  const folds = table(['train from', 'test', 'train n', 'purged', 'test n', 'taken', 'PF all', 'PF taken'],
    m.folds.map((f) => [f.trainFrom, f.testFrom === f.testTo ? f.testFrom : `${f.testFrom} – ${f.testTo}`, String(f.trainN), String(f.purged), String(f.testN), String(f.taken), num(f.pfAll, 3), num(f.pfTaken, 3)]), 2);
  const mono = table(['feature', 'expected', 'max violation', 'PD range', 'passed', 'note'],
    m.monotonicity.map((c) => [c.feature, c.direction > 0 ? 'rising' : 'falling', num(c.maxViolation, 4), num(c.range, 4), c.passed ? 'yes' : 'no', c.note]));
  const imp = table(['feature', 'gain share', 'mean |SHAP|'], m.gain.map((g, i) => [g.feature, pct(g.share), num(m.shap[i].meanAbs, 4)]));
  const rules = table(['rule', 'Σ leaf value', 'cover', 'trees'], m.rules.map((r) => [r.conditions, num(r.value, 4), String(r.cover), String(r.trees.length)]));
  return `<p>${m.samples} diamond samples; OOS: ${m.oos.taken} of ${m.oos.testN} trades taken (threshold ${m.threshold}), PF ${num(m.oos.pfAll, 3)} → ${num(m.oos.pfTaken, 3)}.</p>` +
    `<h3>Rolling CV folds</h3>${folds}<h3>Monotonicity sanity</h3>${mono}<h3>Feature importance</h3>${imp}<h3>Extracted rules (largest |value| × cover)</h3>${rules}`;
}

/** The report's charts, always the same four (plus the PD chart when a meta-model ran). */
export function reportCharts(r: ResearchReportInput): ChartPlan[] {
  const c = { ...DEFAULT_REPORT_CHART_OPTIONS, ...r.charts };
  const o = r.zombie.options;
  const rules: SimRules = { zombie: true, partial: o.verdict.variant === 'zombie_partial' };
  const plans = [
    examplesChart(diamondExamples(r.bars, r.events, o, rules, c.examples, c.preBars, c.postBars)),
    cumulativeChart(cumulativeByBucket(r.bars, r.events, o, rules, c.buckets).points),
    survivalChart(mfeSurvival(r.bars, r.events, o.relVolThreshold, c.snapAtrMult, c.survivalHorizon), c.snapAtrMult),
    r.heatmap === null ? noteChart('divergence-heatmap', 'Divergence map: reversion probability by intensity × duration', 'no heatmap_report.csv given') : heatmapChart(r.heatmap, c.heatmapMinN),
  ];
  if (r.metaModel !== null && typeof r.metaModel !== 'string') {
    plans.push(partialDependenceChart(r.metaModel.partialDependence, r.metaModel.model.objective === 'logistic' ? 'P(win)' : 'E[PnL]'));
  }
  return plans;
}

function period(bars: PriceBars): string {
  const n = bars.ts.length;
  if (n === 0) return 'no bars';
  return `${new Date(bars.ts[0]).toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(bars.ts[n - 1]).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export async function researchReportHtml(r: ResearchReportInput, render: SvgRenderer): Promise<string> {
  const title = r.title ?? 'ShockFlip research report';
  const figures: string[] = [];
  // one chart at a time: one vega view alive keeps memory flat
  for (const p of reportCharts(r)) {
    const svg = await render({ ...p.spec, title: p.title } as TopLevelSpec, `chart-${p.id}`);
    figures.push(`<figure id="${p.id}" aria-label="${escapeHtml(p.title)}">\n${svg}\n</figure>`);
  }
  const diamonds = r.events.filter((e) => e.rel_vol >= r.zombie.options.relVolThreshold).length;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(r.source)} · ${escapeHtml(period(r.bars))} · ${r.bars.ts.length} bars · ${r.events.length} ShockFlip events, ${diamonds} diamonds (rel_vol ≥ ${r.zombie.options.relVolThreshold})</p>`,
    '<h2>Acceptance (blueprint Steps 1–4)</h2>',
    verdictTable(r),
    '<h2>Charts</h2>',
    ...figures,
    '<h2>Step 2 — zombie exit</h2>',
    zombieTables(r.zombie),
    '<h2>Step 3 — divergence-context selection</h2>',
    selectionTables(r.selection),
    '<h2>Step 4 — meta-model</h2>',
    metaModelTables(r.metaModel),
    '<p class="note">Definitions and decisions: docs/shockflip-trading.md.</p>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

import test from 'ava';
import type { TopLevelSpec } from 'vega-lite';
import { runMetaModel } from '../../../research/shockflip/meta-model.ts';
import { cumulativeByBucket, diamondExamples, evenlySpaced, mfeSurvival } from '../../../research/shockflip/report-data.ts';
import { parseHeatmapCsv } from '../../../research/shockflip/report-heatmap.ts';
import { reportCharts, researchReportHtml, type ResearchReportInput } from '../../../research/shockflip/report-html.ts';
import { zombieOptions } from '../../../research/shockflip/zombie-options.ts';
import type { TradeEvent } from '../../../research/shockflip/zombie-sim.ts';
import { runZombie } from '../../../research/shockflip/zombie.ts';
import { renderSvg } from '../../../scripts/commands/research-shockflip-trade.ts';
import { DataError } from '../../../market/errors.ts';
import { FEATURES, PASSED, plantedSamples } from './meta-model-fixtures.ts';
import { barsOf, ev, flat } from './zombie-fixtures.ts';

/** 400 bars with a diamond long at bar 100 that snaps (+1 at bar 102) and an ordinary one at 200 that never does. */
function scene(): { bars: ReturnType<typeof barsOf>; events: TradeEvent[] } {
  const rows = Array.from({ length: 400 }, () => flat(100));
  rows[102] = [100, 101, 100, 101];
  for (let i = 103; i < 200; i++) rows[i] = flat(101);
  for (let i = 200; i < 400; i++) rows[i] = flat(101);
  return { bars: barsOf(rows), events: [ev(100, 1, { rel_vol: 12 }), ev(200, 1, { rel_vol: 2 })] };
}

const HEATMAP = 'int_bin,dur_bin,total,p_reversion,p_breakout,p_churn,avg_mag_reversion,avg_mag_breakout,meets_min_n\n' +
  'low,0-1,40,0.8,0.15,0.05,1.2,0.9,1\nlow,2-3,10,0.7,0.2,0.1,1.1,,0\nxhigh,0-1,0,,,,,,0\n';

function input(over: Partial<ResearchReportInput> = {}): ResearchReportInput {
  const { bars, events } = scene();
  const zombie = runZombie(bars, events, { relVolThreshold: 7.7379, cooldownBars: 0 });
  return {
    source: 'unit scene',
    bars,
    events,
    zombie,
    physics: { passed: true, reasons: ['verdict pass'] },
    selection: 'selection could not run: too few months',
    metaModel: runMetaModel(PASSED, plantedSamples(5, 60), { features: FEATURES, booster: { nEstimators: 10, minSamplesLeaf: 10 } }),
    heatmap: parseHeatmapCsv(HEATMAP, 'heatmap_report.csv'),
    ...over,
  };
}

test('the survival curve: the diamond snaps at bar 2, the ordinary event is censored at the horizon', (t) => {
  const { bars, events } = scene();
  const curves = mfeSurvival(bars, events, 7.7379, 0.5, 60);
  t.deepEqual(curves.map((c) => [c.group, c.n]), [['diamond', 1], ['other', 1]]);
  t.deepEqual(curves[0].steps.map((s) => [s.time, s.survival]), [[0, 1], [2, 0]]);
  t.deepEqual(curves[1].steps.map((s) => [s.time, s.survival, s.censored]), [[0, 1, 0], [60, 1, 1]]);
});

test('example windows carry the close path, the four levels and the exit', (t) => {
  const { bars, events } = scene();
  const o = zombieOptions({ relVolThreshold: 7.7379, maxHoldBars: 5 });
  const pts = diamondExamples(bars, events, o, { zombie: true, partial: false }, 3, 5, 10);
  const series = new Set(pts.map((p) => p.series));
  t.deepEqual([...series].sort(), ['SL', 'TP', 'close', 'entry', 'exit', 'snap']);
  t.deepEqual(pts.find((p) => p.series === 'exit'), { example: pts[0].example, bar: 5, series: 'exit', price: 101 });
  t.is(pts.filter((p) => p.series === 'close').length, 16);
  const tp = pts.find((p) => p.series === 'TP')!;
  t.is(tp.price, 100 + 27.5);
  t.deepEqual(evenlySpaced(10, 3), [0, 5, 9]);
  t.deepEqual(evenlySpaced(2, 5), [0, 1]);
});

test('cumulative returns are grouped by rel_vol bucket and summed in time order', (t) => {
  const { bars, events } = scene();
  const { points, trades } = cumulativeByBucket(bars, events, zombieOptions(), { zombie: false, partial: false }, 2);
  t.is(trades.length, 2);
  t.is(new Set(points.map((p) => p.bucket)).size, 2);
  t.true(points.every((p) => p.day >= 0));
});

test('heatmap_report.csv: read by column name; a bad number names row and column', (t) => {
  const rows = parseHeatmapCsv(HEATMAP, 'h.csv');
  t.is(rows.length, 3);
  t.deepEqual([rows[0].int_bin, rows[0].dur_bin, rows[0].total, rows[0].p_reversion], ['low', '0-1', 40, 0.8]);
  t.true(Number.isNaN(rows[2].p_reversion));
  const err = t.throws(() => parseHeatmapCsv('int_bin,dur_bin,total,p_reversion,p_breakout,p_churn\nlow,0-1,x,1,0,0\n', 'h.csv'), { instanceOf: DataError });
  t.is(err.message, 'h.csv row 1 column total: not a number ("x")');
});

test('the report has every blueprint chart, the verdicts and the meta-model audit (rendered to SVG)', async (t) => {
  const html = await researchReportHtml(input(), renderSvg);
  for (const id of ['diamond-examples', 'cumulative-by-bucket', 'mfe-survival', 'divergence-heatmap', 'meta-model-pd']) {
    const m = new RegExp(`<figure id="${id}"[^>]*>\\n(<svg[\\s\\S]*?</svg>)\\n</figure>`).exec(html);
    t.truthy(m, `chart ${id}`);
    t.true(m![1].includes(`chart-${id}-1`) || !m![1].includes(' id="'), `ids of ${id} are prefixed`);
  }
  t.regex(html, /Step 1 — physics[\s\S]*?class="pass"/);
  t.regex(html, /Extracted rules/);
  t.regex(html, /selection could not run: too few months/);
  t.notRegex(html, /<script/i);
  // deterministic bytes
  t.is(await researchReportHtml(input(), renderSvg), html);
});

test('without a heatmap or a meta-model the charts say so instead of disappearing', async (t) => {
  const plans = reportCharts(input({ heatmap: null, metaModel: 'meta-model refused: Step 3 (selection) did not pass' }));
  t.deepEqual(plans.map((p) => p.id), ['diamond-examples', 'cumulative-by-bucket', 'mfe-survival', 'divergence-heatmap']);
  const specs: TopLevelSpec[] = [];
  const html = await researchReportHtml(input({ heatmap: null, metaModel: 'meta-model refused: Step 3 (selection) did not pass' }), async (spec, id) => {
    specs.push(spec);
    return `<svg id="${id}"></svg>`;
  });
  t.is(specs.length, 4);
  t.regex(JSON.stringify(specs[3]), /no heatmap_report.csv given/);
  t.regex(html, /meta-model refused: Step 3/);
});

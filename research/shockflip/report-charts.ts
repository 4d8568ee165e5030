// The research report's charts as vega-lite specs (the blueprint's plots): example diamond events,
// cumulative returns by rel_vol bucket, the Kaplan–Meier survival of "not yet snapped", the
// divergence heatmap, and the meta-model's partial dependence. Rendering to SVG is the caller's
// (research/ may not import report/; the CLI passes report/charts.ts's renderer in). No temporal
// axes: vega would format them in the machine's time zone.
import type { TopLevelSpec } from 'vega-lite';
import type { PartialDependence } from './meta-model-interpret.ts';
import type { CumulativePoint, PathPoint, SurvivalCurve } from './report-data.ts';
import type { HeatmapRow } from './report-heatmap.ts';

const WIDTH = 640;
const HEIGHT = 220;

export const REPORT_CHART_CONFIG = {
  font: 'sans-serif',
  background: 'white',
  title: { anchor: 'start', fontSize: 13 },
  axis: { labelFontSize: 10, titleFontSize: 11 },
} as const;

export interface ChartPlan {
  id: string;
  title: string;
  spec: TopLevelSpec;
}

/** A chart with nothing to plot says so instead of drawing empty axes. */
export function noteChart(id: string, title: string, note: string): ChartPlan {
  return {
    id,
    title,
    spec: {
      title,
      width: WIDTH,
      height: 60,
      config: REPORT_CHART_CONFIG,
      data: { values: [{ note }] },
      mark: { type: 'text', fontSize: 14, color: '#777' },
      encoding: { text: { field: 'note', type: 'nominal' } },
    },
  };
}

const LEVEL_COLORS = { domain: ['close', 'entry', 'snap', 'TP', 'SL', 'exit'], range: ['#222222', '#1f77b4', '#17becf', '#2e8b57', '#c0392b', '#ff7f0e'] };

export function examplesChart(points: readonly PathPoint[]): ChartPlan {
  const id = 'diamond-examples';
  const title = 'Example diamond events: close around the signal, entry / snap / TP / SL levels, exit';
  if (points.length === 0) return noteChart(id, title, 'no diamond events');
  return {
    id,
    title,
    spec: {
      title,
      config: REPORT_CHART_CONFIG,
      data: { values: [...points] },
      facet: { row: { field: 'example', type: 'nominal', sort: null, title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: WIDTH,
        height: 140,
        layer: [
          {
            transform: [{ filter: "datum.series !== 'exit'" }],
            mark: { type: 'line', strokeWidth: 1.3 },
            encoding: {
              x: { field: 'bar', type: 'quantitative', title: 'bars from the signal bar' },
              y: { field: 'price', type: 'quantitative', scale: { zero: false }, title: 'price' },
              color: { field: 'series', type: 'nominal', scale: LEVEL_COLORS, title: null },
              strokeDash: { condition: { test: "datum.series !== 'close'", value: [4, 3] }, value: [1, 0] },
            },
          },
          {
            transform: [{ filter: "datum.series === 'exit'" }],
            mark: { type: 'point', filled: true, size: 60, shape: 'diamond' },
            encoding: {
              x: { field: 'bar', type: 'quantitative' },
              y: { field: 'price', type: 'quantitative' },
              color: { field: 'series', type: 'nominal', scale: LEVEL_COLORS, title: null },
            },
          },
        ],
      },
    },
  };
}

export function cumulativeChart(points: readonly CumulativePoint[]): ChartPlan {
  const id = 'cumulative-by-bucket';
  const title = 'Cumulative net return by rel_vol bucket (each event traded alone, legacy TP/SL + Step-2 rules)';
  if (points.length === 0) return noteChart(id, title, 'no trades');
  return {
    id,
    title,
    spec: {
      title,
      width: WIDTH,
      height: HEIGHT,
      config: REPORT_CHART_CONFIG,
      data: { values: [...points] },
      mark: { type: 'line', strokeWidth: 1.3, interpolate: 'step-after' },
      encoding: {
        x: { field: 'day', type: 'quantitative', title: 'days since the first bar' },
        y: { field: 'cumulative', type: 'quantitative', title: 'Σ net return', axis: { format: '.2%' } },
        color: { field: 'bucket', type: 'nominal', title: 'rel_vol bucket', sort: 'ascending' },
      },
    },
  };
}

export function survivalChart(curves: readonly SurvivalCurve[], atrMult: number): ChartPlan {
  const id = 'mfe-survival';
  const title = `Kaplan–Meier: share of events whose favourable excursion has not yet reached ${atrMult} ATR`;
  if (curves.length === 0) return noteChart(id, title, 'no events');
  const values = curves.flatMap((c) => c.steps.map((s) => ({ group: `${c.group} (n = ${c.n})`, bar: s.time, survival: s.survival })));
  return {
    id,
    title,
    spec: {
      title,
      width: WIDTH,
      height: HEIGHT,
      config: REPORT_CHART_CONFIG,
      data: { values },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, point: true },
      encoding: {
        x: { field: 'bar', type: 'quantitative', title: 'bars after entry' },
        y: { field: 'survival', type: 'quantitative', title: 'S(bars): not yet snapped', scale: { domain: [0, 1] } },
        color: { field: 'group', type: 'nominal', title: null },
      },
    },
  };
}

export function heatmapChart(rows: readonly HeatmapRow[], minN: number): ChartPlan {
  const id = 'divergence-heatmap';
  const title = `Divergence map: reversion probability by intensity × duration (faded: N < ${minN})`;
  const filled = rows.filter((r) => r.total > 0);
  if (filled.length === 0) return noteChart(id, title, 'no divergence episodes');
  const durOrder = [...new Set(rows.map((r) => r.dur_bin))];
  const intOrder = [...new Set(rows.map((r) => r.int_bin))].reverse();
  const values = filled.map((r) => ({ ...r, label: `${(100 * r.p_reversion).toFixed(0)}% · N ${r.total}`, readable: r.total >= minN ? 'yes' : 'no' }));
  return {
    id,
    title,
    spec: {
      title,
      config: REPORT_CHART_CONFIG,
      data: { values },
      width: { step: 110 },
      height: { step: 44 },
      encoding: {
        x: { field: 'dur_bin', type: 'ordinal', sort: durOrder, title: 'duration (extra divergent bars)', axis: { labelAngle: 0 } },
        y: { field: 'int_bin', type: 'ordinal', sort: intOrder, title: 'intensity' },
      },
      layer: [
        {
          mark: 'rect',
          encoding: {
            color: { field: 'p_reversion', type: 'quantitative', title: 'P(reversion)', scale: { domain: [0, 1], scheme: 'blues' } },
            opacity: { condition: { test: "datum.readable === 'yes'", value: 1 }, value: 0.35 },
          },
        },
        { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'label', type: 'nominal' }, color: { value: '#111' } } },
      ],
    },
  };
}

export function partialDependenceChart(pds: readonly PartialDependence[], yTitle: string): ChartPlan {
  const id = 'meta-model-pd';
  const title = 'Meta-model partial dependence per feature';
  const values = pds.flatMap((p) => p.grid.map((v, i) => ({ feature: p.feature, value: v, pd: p.pd[i] })));
  if (values.length === 0) return noteChart(id, title, 'no model');
  return {
    id,
    title,
    spec: {
      title,
      config: REPORT_CHART_CONFIG,
      data: { values },
      facet: { field: 'feature', type: 'nominal', sort: null, title: null },
      columns: 3,
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 190,
        height: 120,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
          y: { field: 'pd', type: 'quantitative', title: yTitle, scale: { zero: false } },
        },
      },
    },
  };
}

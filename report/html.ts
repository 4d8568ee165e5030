// report.html: one self-contained page (inline CSS and SVG, no script, no external resource).
// Numbers are formatted with toFixed/toPrecision, never toLocaleString, whose output depends on the
// machine's ICU data and locale.
import type { RunResult } from '../engine/types.ts';
import { renderCharts } from './charts.ts';
import { directionLabel } from './trade-fields.ts';

export interface ReportHtmlOptions {
  title?: string;
  /** trades shown at each end of the trade table */
  edgeTrades?: number;
}

const CSS = `
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th{background:#f5f5f5}td.l,th.l{text-align:left}tr.gap td{text-align:center;color:#777;font-style:italic}
pre{font-size:12px;background:#f8f8f8;padding:8px;margin:0;white-space:pre-wrap}
figure{margin:12px 0}.note{color:#777}
`;

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function pct(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : String(x);
}

/** Prices span 1e-5 to 1e5: significant digits, not decimals. */
function sig(x: number, digits = 8): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(digits))) : String(x);
}

type Row = [label: string, value: string];

function keyValueTable(rows: readonly Row[]): string {
  const body = rows.map(([k, v]) => `<tr><th class="l">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`);
  return `<table>${body.join('')}</table>`;
}

function summaryTable(result: RunResult): string {
  const s = result.summary;
  const reasons = Object.entries(s.exitReasons)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([r, n]) => `${r} ${n}`)
    .join(', ');
  return keyValueTable([
    ['initial capital', fixed(s.initialCapital, 2)],
    ['final capital', fixed(s.finalCapital, 2)],
    ['ROI', pct(s.roi)],
    ['profit factor', fixed(s.profitFactor, 4)],
    ['Sharpe (daily, √365)', fixed(s.sharpe, 3)],
    ['max drawdown', pct(s.maxDrawdown)],
    ['win rate', pct(s.winRate)],
    ['trades', String(s.trades)],
    ['exit reasons', reasons === '' ? '—' : reasons],
    ['bars', String(s.bars)],
    ['days', String(s.days)],
    ['open position at end', result.openPosition === null ? 'none' : 'yes (below)'],
  ]);
}

function inputsTable(inputs: Record<string, unknown>): string {
  const keys = Object.keys(inputs);
  if (keys.length === 0) return '<p class="note">none recorded</p>';
  const rows = keys.map((k) => {
    const v = inputs[k];
    const text = typeof v === 'string' ? v : (JSON.stringify(v, bigintSafe, 2) ?? String(v));
    const cell = text.includes('\n') ? `<pre>${escapeHtml(text)}</pre>` : escapeHtml(text);
    return `<tr><th class="l">${escapeHtml(k)}</th><td class="l">${cell}</td></tr>`;
  });
  return `<table>${rows.join('')}</table>`;
}

function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

const TRADE_HEADER = [
  '#',
  'exit date',
  'asset',
  'dir',
  'entry bar',
  'exit bar',
  'entry price',
  'exit price',
  'leverage',
  'notional',
  'exit reason',
  'bars held',
  'net pnl',
  'capital after',
];

function tradesTable(result: RunResult, edge: number): string {
  const trades = result.trades;
  if (trades.length === 0) return '<p class="note">no trades</p>';
  const row = (i: number): string => {
    const t = trades[i];
    const cells = [
      String(t.tradeId),
      t.date,
      t.asset,
      directionLabel(t.direction),
      String(t.entryBar),
      String(t.exitBar),
      sig(t.entryPrice),
      sig(t.exitPrice),
      fixed(t.leverage, 3),
      fixed(t.notional, 2),
      t.exitReason,
      String(t.barsHeld),
      fixed(t.netPnl, 2),
      fixed(t.capitalAfter, 2),
    ];
    return `<tr>${cells.map((c, j) => `<td${j >= 1 && j <= 3 ? ' class="l"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`;
  };
  const rows: string[] = [];
  if (trades.length <= 2 * edge) {
    for (let i = 0; i < trades.length; i++) rows.push(row(i));
  } else {
    for (let i = 0; i < edge; i++) rows.push(row(i));
    const hidden = trades.length - 2 * edge;
    const what = hidden === 1 ? '1 trade' : `${hidden} trades`;
    rows.push(`<tr class="gap"><td colspan="${TRADE_HEADER.length}">… ${what} not shown (see trades.csv) …</td></tr>`);
    for (let i = trades.length - edge; i < trades.length; i++) rows.push(row(i));
  }
  const head = TRADE_HEADER.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<table><tr>${head}</tr>${rows.join('')}</table>`;
}

function openPositionTable(result: RunResult): string {
  const p = result.openPosition;
  if (p === null) return '<p class="note">none</p>';
  const e = p.entry;
  return keyValueTable([
    ['trade id', String(p.tradeId)],
    ['asset', p.asset],
    ['direction', directionLabel(p.direction)],
    ['entry date', p.entryDate],
    ['entry time', p.entryTs ?? '—'],
    ['entry bar', String(p.entryBar)],
    ['entry price', sig(p.entryPrice)],
    ['notional', fixed(p.notional, 2)],
    ['leverage', fixed(p.leverage, 3)],
    ['fraction', fixed(p.fraction, 4)],
    ['capital at entry', fixed(e.capitalAtEntry, 2)],
    ['vel_div at entry', sig(e.velDiv, 6)],
    ['posture at entry', e.posture],
    ['direction confirmation', e.dc],
  ]);
}

function period(result: RunResult): string {
  const days = result.days;
  if (days.length === 0) return 'no days';
  const first = days[0].date;
  const last = days[days.length - 1].date;
  return first === last ? first : `${first} to ${last}`;
}

export async function reportHtml(result: RunResult, options: ReportHtmlOptions = {}): Promise<string> {
  const title = options.title ?? 'DOLPHIN run report';
  const edge = options.edgeTrades ?? 10;
  const charts = await renderCharts(result);
  const figures = charts.map(
    (c) => `<figure id="${c.id}" aria-label="${escapeHtml(c.title)}">\n${c.svg}\n</figure>`,
  );
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
    `<p>${escapeHtml(period(result))} · ${result.summary.trades} trades · ${result.summary.days} days</p>`,
    '<h2>Summary</h2>',
    summaryTable(result),
    '<h2>Charts</h2>',
    ...figures,
    '<h2>Trades</h2>',
    tradesTable(result, edge),
    '<h2>Open position at end of run</h2>',
    openPositionTable(result),
    '<h2>Run inputs</h2>',
    inputsTable(result.inputs),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

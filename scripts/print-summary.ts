// The run summary as a short table on stdout.
import type { RunResult } from '../engine/types.ts';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const num = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

export function printSummary(r: RunResult, outDir: string): void {
  const s = r.summary;
  const rows: [string, string][] = [
    ['days', String(s.days)],
    ['bars', String(s.bars)],
    ['trades', String(s.trades)],
    ['initial capital', num(s.initialCapital, 2)],
    ['final capital', num(s.finalCapital, 2)],
    ['ROI', pct(s.roi)],
    ['profit factor', num(s.profitFactor)],
    ['Sharpe (daily, √365)', num(s.sharpe)],
    ['max drawdown', pct(s.maxDrawdown)],
    ['win rate', pct(s.winRate)],
    ['exit reasons', Object.entries(s.exitReasons).map(([k, v]) => `${k} ${v}`).join(', ') || '—'],
    ['open position', r.openPosition ? `${r.openPosition.asset} since bar ${r.openPosition.entryBar}` : 'none'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log('');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
  console.log('');
  console.log(`Results in ${outDir}: summary.json, trades.csv, daily.csv, report.html`);
}

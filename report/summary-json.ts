// summary.json: the run's Summary in snake_case, the open position and the run's inputs.
import type { RunResult } from '../engine/types.ts';
import { openPositionRow } from './trade-fields.ts';

/**
 * JSON has no Infinity or NaN. A non-finite metric (the profit factor of a run with wins and no
 * losing trade) is written as null with a sibling "<key>_note" saying which value it was and
 * why, so a reader can tell "infinite" from "undefined" without a non-standard JSON token.
 */
function metric(out: Record<string, unknown>, key: string, value: number, why: string): void {
  if (Number.isFinite(value)) {
    out[key] = value;
    return;
  }
  out[key] = null;
  out[`${key}_note`] = `${String(value)}: ${why}`;
}

function reasonFor(key: string, value: number): string {
  if (key === 'profit_factor') return value > 0 ? 'no losing trades (gross loss is 0)' : 'undefined (0 / 0)';
  return 'not a finite number';
}

export function summaryObject(result: RunResult): Record<string, unknown> {
  const s = result.summary;
  const out: Record<string, unknown> = {};
  const numbers: [string, number][] = [
    ['initial_capital', s.initialCapital],
    ['final_capital', s.finalCapital],
    ['roi', s.roi],
    ['profit_factor', s.profitFactor],
    ['sharpe', s.sharpe],
    ['max_drawdown', s.maxDrawdown],
    ['win_rate', s.winRate],
    ['trades', s.trades],
  ];
  for (const [key, value] of numbers) metric(out, key, value, reasonFor(key, value));
  // sorted so the order does not depend on which exit reason happened first
  out.exit_reasons = Object.fromEntries(
    Object.entries(s.exitReasons).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  metric(out, 'bars', s.bars, 'not a finite number');
  metric(out, 'days', s.days, 'not a finite number');
  out.open_position = result.openPosition === null ? null : openPositionRow(result.openPosition);
  out.inputs = result.inputs;
  return out;
}

/** Two-space indent and a final newline; bigints in inputs become decimal strings. */
export function summaryJson(result: RunResult): string {
  const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
  return JSON.stringify(summaryObject(result), replacer, 2) + '\n';
}

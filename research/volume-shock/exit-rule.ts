// When a position leaves, checked on each underlying observation after entry, in this order: stop,
// target, time stop, session close. The exit fills at the observation's price (a gap through the
// stop fills worse than the stop): between observations the path is unknown.
import type { Direction, UnderlyingTick } from './types.ts';

export type ExitReason = 'STOP' | 'TARGET' | 'TIME' | 'CLOSE' | 'END';

export interface OpenLeg {
  direction: Direction;
  entryTime: number;
  entryPrice: number;
  stopDistance: number;
  targetDistance: number;
  maxHoldMinutes: number;
}

/** The reason to exit at `tick`, or null to hold; `closeBufferMs` before tick.sessionEnd closes everything. */
export function exitReason(leg: OpenLeg, tick: UnderlyingTick, closeBufferMs: number | null): ExitReason | null {
  if (!(tick.time > leg.entryTime)) return null;
  const move = leg.direction * (tick.price - leg.entryPrice);
  if (move <= -leg.stopDistance) return 'STOP';
  if (move >= leg.targetDistance) return 'TARGET';
  if (tick.time - leg.entryTime >= leg.maxHoldMinutes * 60_000) return 'TIME';
  if (closeBufferMs !== null && tick.sessionEnd !== undefined && tick.time >= tick.sessionEnd - closeBufferMs) return 'CLOSE';
  return null;
}

/** Points earned per contract, net of the round-trip cost. */
export function legPoints(direction: Direction, entryPrice: number, exitPrice: number, costPoints: number): number {
  return direction * (exitPrice - entryPrice) - costPoints;
}

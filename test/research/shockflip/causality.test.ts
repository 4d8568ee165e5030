// Strict causality: changing anything at or after the end of bar k — dropping, re-pricing, flipping,
// delaying or replacing the future trades — changes nothing known at bar k's close: the bars up to
// k, every feature at those bars, the signals up to k and the entry-time columns of their events.
import test from 'ava';
import fc from 'fast-check';
import { detectShockFlips } from '../../../research/shockflip/detector.ts';
import { buildEvents } from '../../../research/shockflip/event-study.ts';
import { computeFeatures, type BarFeatures } from '../../../research/shockflip/features.ts';
import { featureWindows } from '../../../research/shockflip/params.ts';
import { buildResearchBars, type ResearchBars } from '../../../research/shockflip/research-bars.ts';
import { TradeColumnsBuilder, type TradeColumns } from '../../../research/shockflip/trade-columns.ts';
import { same, smallConfig } from './shockflip-test-helpers.ts';

const BAR = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const cfg = smallConfig();
// looser bands and no location rule so that random data produces signals to compare
cfg.shock_flip.detector.z_band = 0.8;
cfg.shock_flip.detector.jump_band = 1.0;
cfg.shock_flip.detector.require_extreme = false;
cfg.shock_flip.detector.cooldown_bars = 2;

interface Tick { gap: number; move: number; amount: number; buy: boolean }
const tickArb = fc.record({
  gap: fc.integer({ min: 0, max: 40_000 }),
  move: fc.double({ min: -0.01, max: 0.01, noNaN: true }),
  amount: fc.double({ min: 0.01, max: 50, noNaN: true }),
  buy: fc.boolean(),
});

function ticksToColumns(ticks: readonly Tick[], t0 = T0, p0 = 100): TradeColumns {
  const b = new TradeColumnsBuilder(ticks.length);
  let ts = t0, p = p0;
  for (const k of ticks) {
    ts += k.gap;
    p *= 1 + k.move;
    b.push(ts, p, k.amount, k.buy ? 1 : -1);
  }
  return b.finish();
}

type Alteration = { kind: 'drop' } | { kind: 'scale'; f: number } | { kind: 'flip' } | { kind: 'delay'; ms: number } | { kind: 'replace'; ticks: Tick[] };
const alterationArb: fc.Arbitrary<Alteration> = fc.oneof(
  fc.constant({ kind: 'drop' as const }),
  fc.double({ min: 0.5, max: 2, noNaN: true }).map((f) => ({ kind: 'scale' as const, f })),
  fc.constant({ kind: 'flip' as const }),
  fc.integer({ min: 1, max: 3_600_000 }).map((ms) => ({ kind: 'delay' as const, ms })),
  fc.array(tickArb, { maxLength: 300 }).map((ticks) => ({ kind: 'replace' as const, ticks })),
);

/** The trades with everything at or after `cut` altered. */
function alterFuture(c: TradeColumns, cut: number, a: Alteration): TradeColumns {
  const b = new TradeColumnsBuilder(c.length);
  let lastP = 100;
  for (let i = 0; i < c.length; i++) {
    if (c.ts[i] < cut) {
      b.push(c.ts[i], c.price[i], c.amount[i], c.side[i] as 1 | -1);
      lastP = c.price[i];
      continue;
    }
    if (a.kind === 'drop' || a.kind === 'replace') break;
    const price = a.kind === 'scale' ? c.price[i] * a.f : c.price[i];
    const side = (a.kind === 'flip' ? -c.side[i] : c.side[i]) as 1 | -1;
    const ts = a.kind === 'delay' ? c.ts[i] + a.ms : c.ts[i];
    b.push(ts, price, c.amount[i], side);
  }
  let out = b.finish();
  if (a.kind === 'replace' && a.ticks.length > 0) {
    const fut = ticksToColumns(a.ticks, cut, lastP);
    const all = new TradeColumnsBuilder(out.length + fut.length);
    for (const part of [out, fut]) for (let i = 0; i < part.length; i++) all.push(part.ts[i], part.price[i], part.amount[i], part.side[i] as 1 | -1);
    out = all.finish();
  }
  return out;
}

const BAR_FIELDS = ['start', 'open', 'high', 'low', 'close', 'volume', 'buyVolume', 'sellVolume', 'notional', 'buyNotional', 'sellNotional', 'sumSqAmount', 'trades', 'buyTrades', 'vwap'] as const;
const FEATURE_FIELDS = ['imbalance', 'flowZ', 'relVol', 'trueRange', 'atr', 'donchianLoc', 'vwapRoll', 'vwapDist', 'spread', 'tradeConcentration', 'zVelocity', 'divScore'] as const satisfies readonly (keyof BarFeatures)[];
const ENTRY_COLUMNS = ['entry_ts', 'side', 'rel_vol', 'flow_z', 'div_score', 'z_velocity', 'atr', 'entry_close', 'donchian_loc', 'vwap_dist', 'spread', 'trade_concentration', 'atr_pctile', 'spread_z'] as const;

function analyse(c: TradeColumns, source: 'imbalance' | 'delta'): { bars: ResearchBars; f: BarFeatures; ev: ReturnType<typeof buildEvents> } {
  const p = structuredClone(cfg);
  p.shock_flip.detector.source = source;
  const bars = buildResearchBars(c, { barMs: BAR });
  const f = computeFeatures(bars, featureWindows(p));
  const signals = detectShockFlips(f, p.shock_flip.detector);
  // outcome horizon 0 here: the entry-time columns are what must not move (outcomes read the future by design)
  const ev = buildEvents(bars, f, signals, { did_snap_atr_mult: 0.5, snap_horizon_bars: 0, mfe_long_horizon_bars: 0, atr_pctile_window: 12, spread_z_window: 20 });
  return { bars, f, ev };
}

test('nothing at or before bar k changes when the trades after bar k change', (t) => {
  let signalsCompared = 0;
  fc.assert(
    fc.property(
      fc.array(tickArb, { minLength: 50, maxLength: 900 }),
      fc.double({ min: 0.2, max: 0.95, noNaN: true }),
      alterationArb,
      fc.constantFrom('imbalance' as const, 'delta' as const),
      (ticks, cutFrac, alteration, source) => {
        const c = ticksToColumns(ticks);
        const a = analyse(c, source);
        const k = Math.floor((a.bars.length - 1) * cutFrac);
        const cut = a.bars.start[k] + BAR; // bar k's end: every trade from here on is "the future"
        const b = analyse(alterFuture(c, cut, alteration), source);
        for (let i = 0; i <= k; i++) {
          for (const key of BAR_FIELDS) if (!same(a.bars[key][i], b.bars[key][i])) throw new Error(`bar ${i} ${key} changed (k = ${k})`);
          for (const key of FEATURE_FIELDS) if (!same(a.f[key][i], b.f[key][i])) throw new Error(`bar ${i} ${key} changed (k = ${k})`);
        }
        const early = (r: typeof a): number[] => r.ev.bars.filter((i) => i <= k);
        const ea = early(a), eb = early(b);
        if (ea.join() !== eb.join()) throw new Error(`signals up to bar ${k} changed: ${ea.join()} vs ${eb.join()}`);
        for (let j = 0; j < ea.length; j++) {
          const ra = a.ev.events[j] as unknown as Record<string, number | string>, rb = b.ev.events[j] as unknown as Record<string, number | string>;
          for (const col of ENTRY_COLUMNS) {
            const x = ra[col], y = rb[col];
            if (typeof x === 'number' && typeof y === 'number' ? !same(x, y) : x !== y) throw new Error(`event at bar ${ea[j]} column ${col} changed`);
          }
        }
        signalsCompared += ea.length;
        return true;
      },
    ),
    { numRuns: 60, seed: 20261130 },
  );
  // the property is only worth something if signals were actually compared
  t.true(signalsCompared > 0, 'no signal fell before a cut: the property compared features only');
});

test('changing one bar\'s trades changes nothing before that bar', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.array(tickArb, { minLength: 100, maxLength: 600 }), fc.nat(), (ticks, pick) => {
        const c = ticksToColumns(ticks);
        const j = pick % c.length;
        const altered = { ...c, amount: c.amount.slice(), side: c.side.slice() };
        altered.amount[j] *= 7;
        altered.side[j] = -altered.side[j] as 1 | -1;
        const a = analyse(c, 'imbalance'), b = analyse(altered, 'imbalance');
        const bar = Math.floor((c.ts[j] - a.bars.start[0]) / BAR);
        for (let i = 0; i < bar; i++) for (const key of FEATURE_FIELDS) if (!same(a.f[key][i], b.f[key][i])) return false;
        return true;
      }),
      { numRuns: 40, seed: 20261130 },
    ),
  );
});

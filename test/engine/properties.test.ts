// Property tests of the bar loop on small random frames (fast-check; modest run counts).
import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import fc from 'fast-check';
import type { EngineConfig } from '../../engine/config.ts';
import type { Forewarner } from '../../engine/forewarner.ts';
import type { DayFrame, Posture } from '../../engine/types.ts';
import { config, hashedObProvider, holds, makeDays, mulberry32, runFrames, runStreaming, type DayPlan } from '../helpers/frames.ts';

interface Scenario {
  seed: number;
  days: number;
  rows: number;
  assets: number;
  plan: DayPlan[];
  fw: Array<'none' | 'OK' | 'ORANGE' | 'RED'>;
  minDayRow: number;
  lookback: number;
  ob: boolean;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  seed: fc.integer({ min: 1, max: 0x7fffffff }),
  days: fc.integer({ min: 1, max: 3 }),
  rows: fc.integer({ min: 110, max: 220 }),
  assets: fc.integer({ min: 1, max: 3 }),
  plan: fc.array(
    fc.record({
      posture: fc.constantFrom<Posture>('APEX', 'APEX', 'STALKER', 'STALKER', 'TURTLE', 'HIBERNATE'),
      acb: fc.option(
        fc.record({ boost: fc.double({ min: 1, max: 1.75, noNaN: true }), beta: fc.constantFrom(0, 0.2, 0.8) }),
        { nil: null },
      ),
    }),
    { minLength: 3, maxLength: 3 },
  ),
  fw: fc.array(fc.constantFrom<'none' | 'OK' | 'ORANGE' | 'RED'>('none', 'none', 'OK', 'ORANGE', 'RED'), { minLength: 3, maxLength: 3 }),
  minDayRow: fc.constantFrom(0, 50, 100),
  lookback: fc.constantFrom(60, 100),
  ob: fc.boolean(),
});

const NAMES = ['AAAUSDT', 'BBBUSDT', 'CCCUSDT'];

/** Random-walk prices with a downward drift (so SHORTs get selected) and an AR(1) vel_div; a few NaNs. */
function framesOf(sc: Scenario): DayFrame[] {
  const rnd = mulberry32(sc.seed);
  const total = sc.days * sc.rows;
  const prices = NAMES.slice(0, sc.assets).map((_, a) => {
    const out = new Float64Array(total);
    let p = 10 * (a + 1);
    const drift = -0.0002 * rnd();
    for (let g = 0; g < total; g++) {
      p *= 1 + drift + 0.0006 * (rnd() * 2 - 1);
      out[g] = rnd() < 0.02 ? NaN : p;
    }
    return out;
  });
  const vd = new Float64Array(total);
  let v = 0;
  for (let g = 0; g < total; g++) {
    v = 0.9 * v + 0.012 * (rnd() * 2 - 1) - 0.002;
    vd[g] = rnd() < 0.01 ? NaN : v;
  }
  return makeDays({
    days: sc.days,
    rows: sc.rows,
    assets: NAMES.slice(0, sc.assets),
    price: (a, g) => prices[a][g],
    velDiv: (g) => vd[g],
  });
}

function cfgOf(sc: Scenario): EngineConfig {
  return config((c) => {
    c.bar_loop.min_day_row = sc.minDayRow;
    c.bar_loop.lookback = sc.lookback;
    c.seed = sc.seed;
  });
}

const REPORTS = { OK: { catastrophicProbability: 0, envelopeScore: 1 }, ORANGE: { catastrophicProbability: 0.15, envelopeScore: 0 }, RED: { catastrophicProbability: 0.5, envelopeScore: 0 } };

function optsOf(sc: Scenario, frames: readonly DayFrame[]) {
  const byDate = new Map(frames.map((f, i) => [f.date, sc.fw[i]]));
  const forewarner: Forewarner | null = sc.fw.slice(0, sc.days).every((x) => x === 'none')
    ? null
    : (date) => REPORTS[(byDate.get(date) ?? 'none') === 'none' ? 'OK' : (byDate.get(date) as 'OK' | 'ORANGE' | 'RED')];
  return {
    cfg: cfgOf(sc),
    plan: sc.plan,
    providers: { ob: sc.ob ? hashedObProvider(sc.seed) : null, forewarner },
  };
}

function run(sc: Scenario) {
  const frames = framesOf(sc);
  const r = runFrames(frames, optsOf(sc, frames));
  return { frames, ...r, open: r.engine.openPosition() };
}

const dayIndex = (frames: readonly DayFrame[], date: string) => frames.findIndex((f) => f.date === date);
const RUNS = 80;

test('property: final leverage always within [0.5, 6.0], and ≤ 2.0 on STALKER days', (t) => {
  let seen = 0;
  let stalker = 0;
  holds(
    t,
    fc.property(scenarioArb, (sc) => {
      const { trades, open, frames } = run(sc);
      const entries = [...trades.map((x) => ({ lev: x.leverage, date: x.entryDate, posture: x.entry.posture })), ...(open ? [{ lev: open.leverage, date: open.entryDate, posture: open.entry.posture }] : [])];
      for (const e of entries) {
        seen++;
        if (!(e.lev >= 0.5 && e.lev <= 6.0)) return false;
        const dayPosture = sc.plan[dayIndex(frames, e.date)].posture;
        if (e.posture !== dayPosture) return false;
        if (dayPosture === 'STALKER') {
          stalker++;
          if (e.lev > 2.0) return false;
        }
      }
      return true;
    }),
    { numRuns: RUNS },
  );
  t.true(seen > 0, 'the generator produced no entries at all');
  t.true(stalker > 0, 'the generator produced no STALKER entries');
});

test('property: no entry on a TURTLE, HIBERNATE or forewarner-RED day; HIBERNATE days only close with HIBERNATE_HALT', (t) => {
  holds(
    t,
    fc.property(scenarioArb, (sc) => {
      const { trades, open, frames } = run(sc);
      const hasFw = sc.fw.slice(0, sc.days).some((x) => x !== 'none');
      const haltedDay = (i: number) => sc.plan[i].posture === 'TURTLE' || sc.plan[i].posture === 'HIBERNATE' || (hasFw && sc.fw[i] === 'RED');
      for (const d of [...trades.map((x) => x.entryDate), ...(open ? [open.entryDate] : [])]) {
        if (haltedDay(dayIndex(frames, d))) return false;
      }
      for (const x of trades) {
        if (sc.plan[dayIndex(frames, x.date)].posture === 'HIBERNATE' && x.exitReason !== 'HIBERNATE_HALT') return false;
      }
      return true;
    }),
    { numRuns: RUNS },
  );
});

test('property: no entry during the warm-up (bar_count < lookback) or before min_day_row', (t) => {
  holds(
    t,
    fc.property(scenarioArb, (sc) => {
      const { trades, open } = run(sc);
      const entryBars = [...trades.map((x) => x.entryBar), ...(open ? [open.entryBar] : [])];
      // bar_count of global bar g is g + 1
      return entryBars.every((g) => g + 1 >= sc.lookback && g % sc.rows >= sc.minDayRow);
    }),
    { numRuns: RUNS },
  );
});

test('property: exit before entry — every next entry bar is after the previous exit bar', (t) => {
  let closed = 0;
  holds(
    t,
    fc.property(scenarioArb, (sc) => {
      const { trades, open } = run(sc);
      closed += trades.length;
      let lastExit = -1;
      for (const x of trades) {
        if (!(x.entryBar > lastExit && x.exitBar > x.entryBar)) return false;
        lastExit = x.exitBar;
      }
      return open === null || open.entryBar > lastExit;
    }),
    { numRuns: RUNS },
  );
  t.true(closed > 10, `only ${closed} closed trades over ${RUNS} runs`);
});

test('property: capital carries — each trade starts from the previous trade\'s capital, each day from the previous day\'s', (t) => {
  holds(
    t,
    fc.property(scenarioArb, (sc) => {
      const { trades, days } = run(sc);
      let capital = 25_000;
      for (const x of trades) {
        if (x.entry.capitalAtEntry !== capital || Math.abs(capital + x.netPnl - x.capitalAfter) > 1e-9) return false;
        capital = x.capitalAfter;
      }
      return (
        days[days.length - 1].capital === capital &&
        days.every((d, i) => Math.abs(d.capital - d.pnl - (i === 0 ? 25_000 : days[i - 1].capital)) < 1e-9)
      );
    }),
    { numRuns: RUNS },
  );
});

test('property: determinism — the same inputs give deep-equal trade logs and day results', (t) => {
  holds(
    t,
    fc.property(scenarioArb, (sc) => {
      const a = run(sc);
      const b = run(sc);
      return isDeepStrictEqual(a.trades, b.trades) && isDeepStrictEqual(a.days, b.days) && isDeepStrictEqual(a.open, b.open);
    }),
    { numRuns: 50 },
  );
});

test('property: processDay equals bar-by-bar streaming through beginDay / processBar / endDay', (t) => {
  holds(
    t,
    fc.property(scenarioArb, (sc) => {
      const frames = framesOf(sc);
      const batch = runFrames(frames, optsOf(sc, frames));
      const stream = runStreaming(frames, optsOf(sc, frames));
      return (
        isDeepStrictEqual(batch.trades, stream.trades) &&
        isDeepStrictEqual(batch.days, stream.days) &&
        isDeepStrictEqual(batch.engine.openPosition(), stream.engine.openPosition())
      );
    }),
    { numRuns: RUNS },
  );
});

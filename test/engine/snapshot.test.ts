// Engine snapshots (an actor killed and restarted between days): a run checkpointed after day k,
// carried through msgpackr and restored must end exactly as the run that was never interrupted —
// trades, day results, open position and the engine's own state deep-equal (−0 ≠ 0 for ava).
import { isDeepStrictEqual } from 'node:util';
import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { AlphaEngine, type EngineProviders } from '../../engine/alpha-engine.ts';
import type { EngineConfig } from '../../engine/config.ts';
import { EngineSnapshotError, type EngineSnapshot } from '../../engine/snapshot.ts';
import type { DayFrame, DayResult, Posture, TradeRecord } from '../../engine/types.ts';
import { SyntheticObProvider } from '../../market/ob-synthetic.ts';
import { generateDays } from '../../market/synthetic.ts';
import { barOf, config, falling, hashedObProvider, holds, makeDays, type DayPlan } from '../helpers/frames.ts';

const packr = new Packr({ moreTypes: true, useRecords: false });
/** What an actor does between a checkpoint and a restart: bytes on disk and back. */
const wire = (s: EngineSnapshot): unknown => packr.unpack(packr.pack(s));

const CAPITAL = 25_000;

interface Case {
  frames: DayFrame[];
  cfg: EngineConfig;
  plan: DayPlan[];
  providers: () => EngineProviders; // fresh per engine, as after a process restart
  /** sub-day ACB updates for the streaming path: (day, row) → new boost/beta before that row */
  subday?: (day: number, row: number) => { boost: number; beta: number } | null;
}

interface Ran {
  engine: AlphaEngine;
  days: DayResult[];
  trades: TradeRecord[];
}

type Mode = 'batch' | 'stream';

function runDay(engine: AlphaEngine, c: Case, d: number, mode: Mode): DayResult {
  const f = c.frames[d];
  const p = c.plan[d] ?? {};
  const posture: Posture = p.posture ?? 'APEX';
  const acb = p.acb ?? null;
  if (mode === 'batch') return engine.processDay(f, posture, acb);
  engine.beginDay({ date: f.date, assets: f.assets, posture, acb });
  for (let r = 0; r < f.rows; r++) {
    const u = c.subday?.(d, r) ?? null;
    if (u !== null) engine.updateAcbBoost(u.boost, u.beta);
    engine.processBar(barOf(f, r));
  }
  return engine.endDay();
}

function uninterrupted(c: Case, mode: Mode): Ran {
  const engine = new AlphaEngine(c.cfg, CAPITAL, c.providers());
  const days = c.frames.map((_, d) => runDay(engine, c, d, mode));
  return { engine, days, trades: [...engine.trades] };
}

/**
 * Killed after each day in `splits` and restarted from that day's checkpoint (through msgpackr).
 * withTrades false: the "actor" keeps each engine's trades itself and the snapshot leaves them out.
 */
function interrupted(c: Case, mode: Mode, splits: readonly number[], withTrades: boolean, onSplit?: (engine: AlphaEngine, k: number) => void): Ran {
  let engine = new AlphaEngine(c.cfg, CAPITAL, c.providers());
  const days: DayResult[] = [];
  const kept: TradeRecord[] = [];
  for (let d = 0; d < c.frames.length; d++) {
    days.push(runDay(engine, c, d, mode));
    if (splits.includes(d + 1) && d + 1 < c.frames.length) {
      onSplit?.(engine, d + 1);
      if (!withTrades) kept.push(...engine.trades);
      engine = AlphaEngine.restore(c.cfg, wire(engine.snapshot({ withTrades })), c.providers());
    }
  }
  return { engine, days, trades: [...kept, ...engine.trades] };
}

function sameRun(t: ExecutionContext, a: Ran, b: Ran, what: string): void {
  t.deepEqual(b.trades, a.trades, `${what}: trades`);
  t.deepEqual(b.days, a.days, `${what}: day results`);
  t.deepEqual(b.engine.openPosition(), a.engine.openPosition(), `${what}: open position`);
  t.is(b.engine.capital, a.engine.capital, `${what}: capital`);
  const sa = a.engine.snapshot({ withTrades: false });
  const sb = b.engine.snapshot({ withTrades: false });
  t.deepEqual(sb, sa, `${what}: engine state at the end`);
}

/** Every split k = 1 … N−1, with and without trades, plus a restart after every single day. */
function everySplit(t: ExecutionContext, c: Case, mode: Mode, mustBeOpenAt: readonly number[]): void {
  const base = uninterrupted(c, mode);
  t.true(base.trades.length > 0, 'the case produces trades');
  const openAt: number[] = [];
  for (let k = 1; k < c.frames.length; k++) {
    for (const withTrades of [true, false]) {
      const r = interrupted(c, mode, [k], withTrades, (e) => {
        if (withTrades && e.openPosition() !== null) openAt.push(k);
      });
      sameRun(t, base, r, `${mode} split after day ${k}${withTrades ? '' : ' (withTrades: false)'}`);
    }
  }
  const all = Array.from({ length: c.frames.length }, (_, i) => i + 1);
  sameRun(t, base, interrupted(c, mode, all, true), `${mode} restart after every day`);
  sameRun(t, base, interrupted(c, mode, all, false), `${mode} restart after every day (withTrades: false)`);
  for (const k of mustBeOpenAt) t.true(openAt.includes(k), `a position is open over midnight at split ${k} (open at ${openAt.join(', ')})`);
}

// ---- cases ----

const acbPlan = (n: number, postures: Posture[] = []): DayPlan[] =>
  Array.from({ length: n }, (_, i) => ({
    posture: postures[i] ?? 'APEX',
    acb: { boost: 1 + 0.1 * (i % 4), beta: i % 2 ? 0.8 : 0.2, signals: i },
  }));

/** Six generated days, 6 assets, legacy mode (no OB provider: the fee path draws the OB edge from the rng). */
const synthLegacy: Case = {
  frames: generateDays({ seed: 1, startDate: '2026-01-01', days: 6, assets: 6 }),
  cfg: config(),
  plan: acbPlan(6, ['APEX', 'APEX', 'STALKER', 'APEX', 'APEX', 'APEX']),
  providers: () => ({}),
};

/** The same market with every layer on: OB provider and a forewarner that goes ORANGE and RED. */
const synthAllLayers: Case = {
  frames: generateDays({ seed: 7, startDate: '2026-03-01', days: 6, assets: 12 }),
  cfg: config((c) => (c.seed = 7)),
  plan: acbPlan(6, ['APEX', 'STALKER', 'APEX', 'APEX', 'TURTLE', 'APEX']),
  providers: () => ({
    ob: new SyntheticObProvider({ seed: 3 }),
    forewarner: (date) =>
      date.endsWith('03') ? { catastrophicProbability: 0.15, envelopeScore: 0 } // ORANGE
      : date.endsWith('06') ? { catastrophicProbability: 0.5, envelopeScore: 0 } // RED
      : { catastrophicProbability: 0.01, envelopeScore: 1 },
  }),
  subday: (d, r) => (r === 700 ? { boost: d % 2 ? 1.3 : 1.05, beta: 0.5 } : r === 1100 ? { boost: 1.0, beta: 0.2 } : null),
};

/**
 * bar-loop.test's falling asset (every trade a FIXED_TP after 96 bars, 300-row days): the position
 * opened at bar 294 is open over midnight into a TURTLE day, where it exits by its own rule; the one
 * opened at bar 894 is carried into a HIBERNATE day and force-closed at its first priced bar (905);
 * on the last day a sub-day ACB drop (streaming only) force-exits the position opened at row 100.
 */
const fallingDays: Case = {
  frames: makeDays({ days: 5, rows: 300, assets: ['FALLUSDT'], price: (_a, g, d, r) => (d === 3 && r < 5 ? NaN : falling(g)), velDiv: () => -0.06 }).map(
    (f, d) => (d === 2 ? { ...f, timestamps: null } : f), // day 2 has no timestamps: the position it opens has entryTs NaN
  ),
  cfg: config((c) => (c.acb.use_acb = false)),
  plan: [{}, { posture: 'TURTLE' }, {}, { posture: 'HIBERNATE' }, {}],
  providers: () => ({}),
  subday: (d, r) => (d === 4 && r === 120 ? { boost: 1.3, beta: 0 } : d === 4 && r === 150 ? { boost: 1.0, beta: 0 } : null),
};

/** The asset universe changes between days: new assets appear, columns are reordered, one drops out. */
const shiftingAssets: Case = (() => {
  const names = [['AAAUSDT', 'BBBUSDT'], ['CCCUSDT', 'AAAUSDT'], ['BBBUSDT', 'CCCUSDT', 'DDDUSDT'], ['DDDUSDT', 'AAAUSDT']];
  const level: Record<string, number> = { AAAUSDT: 10, BBBUSDT: 20, CCCUSDT: 30, DDDUSDT: 40 };
  const frames = names.map((assets, d) =>
    makeDays({
      days: 1,
      rows: 400,
      assets,
      price: (a, r) => level[assets[a]] * falling(d * 400 + r) * (1 + 0.0005 * Math.sin((r + 7 * a) / 3)),
      velDiv: (r) => -0.03 - 0.03 * Math.sin(r / 40) ** 2,
    })[0],
  );
  frames.forEach((f, d) => (f.date = `2026-01-0${d + 1}`));
  return { frames, cfg: config((c) => (c.seed = 99)), plan: acbPlan(4), providers: () => ({ ob: hashedObProvider(5) }) };
})();

// ---- (a) batch and (b) streaming, every split ----

test('(a) processDay: every split k, with and without trades, equals the uninterrupted run (legacy, open over midnight at k = 1 and 5)', (t) => {
  everySplit(t, synthLegacy, 'batch', [1, 5]);
});

test('(a) processDay: every split with OB provider, forewarner ORANGE/RED, STALKER and TURTLE days', (t) => {
  everySplit(t, synthAllLayers, 'batch', []);
});

test('(a) processDay: a position held over midnight through TURTLE and closed by HIBERNATE_HALT after the restart', (t) => {
  const base = uninterrupted(fallingDays, 'batch');
  t.deepEqual(
    base.trades.filter((x) => x.entryDate !== x.date).map((x) => [x.entryBar, x.exitBar, x.exitReason, x.date]),
    [
      [294, 390, 'FIXED_TP', '2026-01-02'],
      [894, 905, 'HIBERNATE_HALT', '2026-01-04'],
    ],
  );
  t.is(base.trades.find((x) => x.entryBar === 894)?.entryTs, null);
  everySplit(t, fallingDays, 'batch', [1, 3]);
});

test('(a) processDay: assets appearing, reordering and dropping out across the split', (t) => {
  everySplit(t, shiftingAssets, 'batch', []);
  const s = uninterrupted(shiftingAssets, 'batch').engine.snapshot();
  t.deepEqual(s.assets, ['AAAUSDT', 'BBBUSDT', 'CCCUSDT', 'DDDUSDT']);
});

test('(b) streaming beginDay/processBar/endDay with sub-day ACB updates: every split equals the uninterrupted run', (t) => {
  const base = uninterrupted(synthAllLayers, 'stream');
  t.notDeepEqual(base.trades, uninterrupted(synthAllLayers, 'batch').trades, 'the sub-day updates change the run');
  everySplit(t, synthAllLayers, 'stream', []);
  everySplit(t, synthLegacy, 'stream', [1, 5]);
});

test('(b) streaming: positions over midnight and a SUBDAY_ACB_NORMALIZATION exit in the restarted engine', (t) => {
  const base = uninterrupted(fallingDays, 'stream');
  t.deepEqual(
    base.trades.filter((x) => x.exitReason === 'SUBDAY_ACB_NORMALIZATION').map((x) => [x.entryBar, x.exitBar]),
    [[1300, 1350]], // the update lands before row 150 (bar 1350) is processed: that bar is the exit bar
  );
  everySplit(t, fallingDays, 'stream', [1, 3]);
});

test('(a)(b) streaming and processDay restored from each other\'s checkpoints agree', (t) => {
  const c = synthLegacy;
  const base = uninterrupted(c, 'batch');
  for (let k = 1; k < c.frames.length; k++) {
    const a = new AlphaEngine(c.cfg, CAPITAL, {});
    const days = c.frames.slice(0, k).map((_, d) => runDay(a, c, d, 'stream'));
    const b = AlphaEngine.restore(c.cfg, wire(a.snapshot()));
    for (let d = k; d < c.frames.length; d++) days.push(runDay(b, c, d, 'batch'));
    sameRun(t, base, { engine: b, days, trades: [...b.trades] }, `stream → batch at ${k}`);
  }
});

test('(a) a snapshot of a fresh engine (before its first day) restores to a fresh engine', (t) => {
  for (const c of [synthLegacy, fallingDays]) {
    const base = uninterrupted(c, 'batch');
    const fresh = new AlphaEngine(c.cfg, CAPITAL, c.providers());
    const s = fresh.snapshot();
    t.is(s.lastDate, null);
    t.is(s.book.ring.length, 0);
    const b = AlphaEngine.restore(c.cfg, wire(s), c.providers());
    const days = c.frames.map((_, d) => runDay(b, c, d, 'batch'));
    sameRun(t, base, { engine: b, days, trades: [...b.trades] }, 'restored before day 1');
    t.is(b.lastDayEnded, c.frames[c.frames.length - 1].date);
  }
});

// ---- (c) property ----

test('(c) property: any seed, any split, either path, with or without trades: the restored run equals the uninterrupted one', (t) => {
  let splitsWithOpen = 0;
  let trades = 0;
  holds(
    t,
    fc.property(
      fc.record({
        seed: fc.integer({ min: 1, max: 0x7fffffff }),
        days: fc.integer({ min: 2, max: 4 }),
        rows: fc.integer({ min: 200, max: 360 }),
        assets: fc.integer({ min: 1, max: 4 }),
        split: fc.integer({ min: 1, max: 3 }),
        mode: fc.constantFrom<Mode>('batch', 'stream'),
        withTrades: fc.boolean(),
        ob: fc.boolean(),
        postures: fc.array(fc.constantFrom<Posture>('APEX', 'APEX', 'STALKER', 'TURTLE', 'HIBERNATE'), { minLength: 4, maxLength: 4 }),
      }),
      (p) => {
        const c: Case = {
          frames: generateDays({ seed: p.seed, startDate: '2026-05-01', days: p.days, assets: p.assets, barsPerDay: p.rows }),
          cfg: config((x) => (x.seed = p.seed)),
          plan: acbPlan(p.days, p.postures),
          providers: () => ({ ob: p.ob ? new SyntheticObProvider({ seed: p.seed }) : null }),
          subday: (d, r) => (r === 150 ? { boost: d % 2 ? 1.0 : 1.3, beta: 0.8 } : null),
        };
        const k = Math.min(p.split, p.days - 1);
        const base = uninterrupted(c, p.mode);
        const r = interrupted(c, p.mode, [k], p.withTrades, (e) => {
          if (e.openPosition() !== null) splitsWithOpen++;
        });
        trades += base.trades.length;
        return (
          isDeepStrictEqual(r.trades, base.trades) &&
          isDeepStrictEqual(r.days, base.days) &&
          isDeepStrictEqual(r.engine.openPosition(), base.engine.openPosition()) &&
          isDeepStrictEqual(r.engine.snapshot({ withTrades: false }), base.engine.snapshot({ withTrades: false }))
        );
      },
    ),
    { numRuns: 100 },
  );
  t.true(trades > 50, `only ${trades} trades over the runs`);
  t.true(splitsWithOpen > 0, 'no run had a position open at its split');
});

// ---- (d) misuse and bad snapshots ----

function snapAfterDays(c: Case, n: number): { engine: AlphaEngine; snap: EngineSnapshot } {
  const engine = new AlphaEngine(c.cfg, CAPITAL, c.providers());
  for (let d = 0; d < n; d++) runDay(engine, c, d, 'batch');
  return { engine, snap: engine.snapshot() };
}

test('(d) snapshot() while a day is open throws, before and after its first bar', (t) => {
  const engine = new AlphaEngine(fallingDays.cfg, CAPITAL);
  const f = fallingDays.frames[0];
  engine.beginDay({ date: f.date, assets: f.assets, posture: 'APEX', acb: null });
  t.throws(() => engine.snapshot(), { message: /snapshot\(\) while 2026-01-01 is open/ });
  for (let r = 0; r < 150; r++) engine.processBar(barOf(f, r));
  t.throws(() => engine.snapshot(), { message: /between days/ });
  engine.endDay();
  t.notThrows(() => engine.snapshot());
});

/** A wire copy of `snap` edited by `edit`; restore must fail naming `field`. */
function rejects(t: ExecutionContext, cfg: EngineConfig, snap: EngineSnapshot, field: string, edit: (s: any) => void, message?: RegExp): void {
  const s = wire(snap) as any;
  edit(s);
  const err = t.throws(() => AlphaEngine.restore(cfg, s), { instanceOf: EngineSnapshotError });
  t.is(err?.field, field, err?.message);
  if (message !== undefined) t.regex(err?.message ?? '', message);
}

test('(d) restore rejects a wrong version, another seed, truncated arrays and mistyped fields, naming the field', (t) => {
  const c = fallingDays;
  const { snap } = snapAfterDays(c, 1);
  t.not(snap.position, null);
  t.true(snap.trades!.length > 0);
  const cfg = c.cfg;
  rejects(t, cfg, snap, 'version', (s) => (s.version = 2), /must be 1, got 2/);
  rejects(t, cfg, snap, 'version', (s) => delete s.version);
  rejects(t, cfg, snap, 'seed', (s) => (s.seed = 43), /seed is 43 but the configuration's seed is 42/);
  rejects(t, config((x) => (x.seed = 7)), snap, 'seed', () => {});
  rejects(t, cfg, snap, 'rng.mt', (s) => s.rng.mt.pop(), /624 entries, got 623/);
  rejects(t, cfg, snap, 'rng.mt[5]', (s) => (s.rng.mt[5] = -1));
  rejects(t, cfg, snap, 'rng.mti', (s) => (s.rng.mti = 625));
  rejects(t, cfg, snap, 'book.ring', (s) => (s.book.ring = s.book.ring.subarray(1)), /must have 64 entries/);
  rejects(t, cfg, snap, 'book.heads', (s) => (s.book.heads = new Int32Array(0)));
  rejects(t, cfg, snap, 'book.lengths', (s) => (s.book.lengths = Array.from(s.book.lengths)), /must be an Int32Array, got an array/);
  rejects(t, cfg, snap, 'book.heads[0]', (s) => (s.book.heads[0] = 64));
  rejects(t, cfg, snap, 'book.pricedAt[0]', (s) => (s.book.pricedAt[0] = 1e9));
  rejects(t, cfg, snap, 'velDiv.ring', (s) => (s.velDiv.ring = s.velDiv.ring.subarray(0, 199)));
  rejects(t, cfg, snap, 'velDiv.count', (s) => (s.velDiv.count = 201));
  rejects(t, cfg, snap, 'book.ring', (s) => s.assets.push('EXTRAUSDT'), /must have 128 entries, got 64/); // an asset the book lacks
  rejects(t, cfg, snap, 'assets[1]', (s) => s.assets.push('FALLUSDT'), /repeats/);
  rejects(t, cfg, snap, 'stats.bucketTotal', (s) => s.stats.bucketTotal.pop());
  rejects(t, cfg, snap, 'stats.bucketWins[0]', (s) => (s.stats.bucketWins[0] = s.stats.bucketTotal[0] + 1));
  rejects(t, cfg, snap, 'stats.bucketTotal', (s) => (s.stats.bucketTotal[0] += 1), /counts 3 closed trades but .* imply 2/);
  rejects(t, cfg, snap, 'position.asset', (s) => (s.position.asset = 'NOPEUSDT'));
  rejects(t, cfg, snap, 'position.tradeId', (s) => (s.position.tradeId = 1));
  rejects(t, cfg, snap, 'position.entry.dc', (s) => (s.position.entry.dc = 'MAYBE'));
  rejects(t, cfg, snap, 'position.entry', (s) => delete s.position.entry);
  rejects(t, cfg, snap, 'trades[1].netPnl', (s) => (s.trades[1].netPnl = '12.5'), /must be a number, got "12.5"/);
  rejects(t, cfg, snap, 'trades[0].entry.bucket', (s) => (s.trades[0].entry.bucket = 7));
  rejects(t, cfg, snap, 'trades[1].tradeId', (s) => (s.trades[1].tradeId = s.trades[0].tradeId), /must rise/);
  rejects(t, cfg, snap, 'trades', (s) => (s.trades = {}));
  rejects(t, cfg, snap, 'lastExitBar', (s) => (s.lastExitBar = s.globalBarIdx));
  rejects(t, cfg, snap, 'capital', (s) => delete s.capital, /is missing/);
  rejects(t, cfg, snap, 'mood', (s) => (s.mood = 'calm'), /not a field/);
  rejects(t, cfg, snap, 'book.extra', (s) => (s.book.extra = 1), /not a field/);
});

test('(d) restore rejects book and vel_div sizes another configuration would give', (t) => {
  const { snap } = snapAfterDays(fallingDays, 1);
  const err = (cfg: EngineConfig) => t.throws(() => AlphaEngine.restore(cfg, wire(snap)), { instanceOf: EngineSnapshotError })?.field;
  t.is(err(config((c) => (c.bar_loop.price_history_cap = 400))), 'book.cap');
  t.is(err(config((c) => (c.bar_loop.price_history_keep = 100))), 'book.keep');
  t.is(err(config((c) => (c.irp.irp_window = 80))), 'book.slots');
  t.is(err(config((c) => (c.bar_loop.vel_div_history_cap = 300))), 'velDiv.ring');
});

test('(d) a snapshot packed without msgpackr moreTypes is refused (its Float64Arrays come back as byte buffers)', (t) => {
  const { snap } = snapAfterDays(fallingDays, 1);
  const plain = new Packr({ useRecords: false });
  const bad = plain.unpack(plain.pack(snap));
  const err = t.throws(() => AlphaEngine.restore(fallingDays.cfg, bad), { instanceOf: EngineSnapshotError });
  t.is(err?.field, 'book.ring');
  t.regex(err?.message ?? '', /moreTypes/);
});

test('(d) restore refuses non-objects', (t) => {
  for (const v of [null, undefined, 42, 'snapshot', [], new Float64Array(3)]) {
    t.is(t.throws(() => AlphaEngine.restore(fallingDays.cfg, v), { instanceOf: EngineSnapshotError })?.field, 'snapshot');
  }
});

// ---- (e) no aliasing ----

test('(e) a snapshot shares nothing with the engine: running on does not change it', (t) => {
  const c = fallingDays;
  const { engine, snap } = snapAfterDays(c, 1);
  const copy = structuredClone(snap);
  t.not(snap.position, null);
  for (let d = 1; d < c.frames.length; d++) runDay(engine, c, d, 'batch');
  engine.capital = -1;
  t.deepEqual(snap, copy);
  t.not(snap.trades![0], engine.trades[0]);
  t.not(snap.position!.entry, engine.openPosition()?.entry);
});

test('(e) a restored engine shares nothing with its snapshot: scribbling over the snapshot changes nothing', (t) => {
  const c = synthLegacy;
  const base = uninterrupted(c, 'batch');
  const a = new AlphaEngine(c.cfg, CAPITAL, {});
  const days = [runDay(a, c, 0, 'batch')];
  const snap = a.snapshot();
  t.not(snap.position, null);
  const b = AlphaEngine.restore(c.cfg, snap); // no wire: the very arrays and objects of the snapshot
  snap.book.ring.fill(1);
  snap.book.heads.fill(0);
  snap.book.pricedAt.fill(-1);
  snap.velDiv.ring.fill(0);
  snap.rng.mt.fill(0);
  snap.stats.recent.length = 0;
  snap.assets.reverse();
  snap.position!.entry.velDiv = 0;
  snap.position!.notional = 1;
  for (const x of snap.trades!) x.netPnl = 0;
  for (let d = 1; d < c.frames.length; d++) days.push(runDay(b, c, d, 'batch'));
  sameRun(t, base, { engine: b, days, trades: [...b.trades] }, 'restored from a scribbled-over snapshot');
});

// ---- every field of the engine is either carried, per day, or fixed by the constructor ----

const CARRIED = ['capital', 'rng', 'stats', 'assetNames', 'assetIndex', 'book', 'vdHistory', 'vdCount', 'vdHead', 'barCount', 'globalBarIdx', 'lastExitBar', 'position', 'nextTradeId', 'closed', 'lastDate'];
const PER_DAY = ['day', 'dayCols', 'dayBaseBoost', 'dayBeta', 'dayMcScale', 'dayMcStatus', 'regimeDdHalt', 'rsm', 'dayStartCapital', 'dayTrades', 'dayBars'];
const FROM_CONSTRUCTOR = ['cfg', 'ob', 'forewarner', 'direction', 'threshold', 'extreme', 'pricesOf', 'irpScratch'];

test('every AlphaEngine field is classified: carried (in the snapshot), per day (set by beginDay) or from the constructor', (t) => {
  const fields = Object.keys(new AlphaEngine(config(), CAPITAL)).sort();
  t.deepEqual(fields, [...CARRIED, ...PER_DAY, ...FROM_CONSTRUCTOR].sort(), 'a new field needs a place in EngineSnapshot or a reset in beginDay');
});

test('after beginDay a restored engine equals the uninterrupted one field by field', (t) => {
  const c = synthAllLayers;
  for (const k of [1, 3]) {
    const a = new AlphaEngine(c.cfg, CAPITAL, c.providers());
    // the original has been through a streamed day with sub-day updates; its per-day fields are stale
    for (let d = 0; d < k; d++) runDay(a, c, d, 'stream');
    const b = AlphaEngine.restore(c.cfg, wire(a.snapshot()), c.providers());
    const f = c.frames[k];
    const start = { date: f.date, assets: f.assets, posture: 'STALKER' as const, acb: { boost: 1.2, beta: 0.5 } };
    a.beginDay(start);
    b.beginDay(start);
    const ea = a as unknown as Record<string, unknown>;
    const eb = b as unknown as Record<string, unknown>;
    for (const key of [...CARRIED, ...PER_DAY]) {
      const norm = (v: unknown) => (v instanceof Object && 'state' in v ? (v as { state(): unknown }).state() : v instanceof Object && 'getState' in v ? (v as { getState(): unknown }).getState() : v);
      t.deepEqual(norm(eb[key]), norm(ea[key]), `field ${key} after restore at ${k} + beginDay`);
    }
  }
});

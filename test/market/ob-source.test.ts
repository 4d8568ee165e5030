import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { ObFeatureEngine } from '../../market/ob-features.ts';
import { ObRecorder, RecordedObSource, recordingSource } from '../../market/ob-source-recorded.ts';
import { SyntheticObSource } from '../../market/ob-source-synthetic.ts';
import { ObSourceError } from '../../market/ob-source.ts';
import { ObDataError, validateSnapshot, type ObSnapshot } from '../../market/ob-snapshot.ts';
import { tempDir } from './helpers.ts';

const SYMS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

async function collect(src: SyntheticObSource, symbols: readonly string[], times: number[]): Promise<ObSnapshot[][]> {
  const out: ObSnapshot[][] = [];
  for (const t of times) out.push(await src.snapshots(symbols, t));
  return out;
}

const grid = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i * 500);

// ---- synthetic ----

test('synthetic: the same seed gives the same snapshots', async (t) => {
  const a = await collect(new SyntheticObSource({ seed: 42 }), SYMS, grid(200, 1_700_000_000_000));
  const b = await collect(new SyntheticObSource({ seed: 42 }), SYMS, grid(200, 1_700_000_000_000));
  t.deepEqual(a, b);
  const c = await collect(new SyntheticObSource({ seed: 43 }), SYMS, grid(200, 1_700_000_000_000));
  t.notDeepEqual(a[199], c[199]);
});

test('synthetic: a symbol’s stream does not depend on the other symbols asked for', async (t) => {
  const alone = await collect(new SyntheticObSource({ seed: 1, startMs: 0 }), ['ETHUSDT'], grid(100));
  const mixed = await collect(new SyntheticObSource({ seed: 1, startMs: 0 }), ['SOLUSDT', 'ETHUSDT'], grid(100));
  t.deepEqual(alone.map((b) => b[0]), mixed.map((b) => b[1]));
  t.notDeepEqual(mixed[50][0].bids, mixed[50][1].bids, 'streams differ between symbols');
});

test('synthetic: books sit on the time grid and do not depend on how often they are asked for', async (t) => {
  const every = await collect(new SyntheticObSource({ seed: 5, startMs: 0 }), SYMS, grid(41));
  const once = await new SyntheticObSource({ seed: 5, startMs: 0 }).snapshots(SYMS, 20_000 + 499);
  t.deepEqual(once, every[40]);
  t.is(once[0].ts, 20_000, 'the last grid step at or before nowMs');
});

test('synthetic: every snapshot is a valid book', async (t) => {
  for (const batch of await collect(new SyntheticObSource({ seed: 9, startMs: 0 }), SYMS, grid(500))) {
    for (const s of batch) t.notThrows(() => validateSnapshot(s));
  }
});

test('synthetic: nothing before the origin, and time going backwards is a non-retryable source error', async (t) => {
  const src = new SyntheticObSource({ seed: 3, startMs: 10_000 });
  t.deepEqual(await src.snapshots(SYMS, 9_999), []);
  await src.snapshots(SYMS, 20_000);
  const e = await t.throwsAsync(src.snapshots(SYMS, 15_000), { instanceOf: ObSourceError });
  t.is(e!.symbol, 'BTCUSDT');
  t.false(e!.retryable);
});

test('synthetic: the books move every feature: withdrawals, cascades, both regimes', async (t) => {
  const src = new SyntheticObSource({ seed: 42, startMs: 0 });
  const syms = [...SYMS, 'XRPUSDT', 'DOGEUSDT'];
  const e = new ObFeatureEngine();
  let cascades = 0;
  let thinning = 0;
  const regimes = new Set<number>();
  for (let k = 0; k < 4_000; k++) {
    const c = e.update(await src.snapshots(syms, k * 500), k * 500);
    if (c.macro.cascadeCount > 0) cascades++;
    regimes.add(c.macro.regimeSignal);
    thinning += c.assets.filter((a) => a.withdrawalVelocity < -0.2).length;
  }
  t.true(cascades > 0, 'some cycle has a cascade');
  t.true(thinning > 0, 'some asset thins faster than the §7.2 −0.20 threshold');
  t.deepEqual([...regimes].sort(), [-1, 0, 1]);
});

// ---- recorded ----

test('recorded: what ObRecorder writes replays the same snapshots at the same times', async (t) => {
  const file = join(tempDir(t), 'ob.jsonl');
  const live = new SyntheticObSource({ seed: 11, startMs: 0 });
  const rec = new ObRecorder(file);
  const times = grid(20);
  const seen: ObSnapshot[][] = [];
  for (const now of times) {
    const batch = await live.snapshots(SYMS, now);
    await rec.append(batch);
    seen.push(batch);
  }
  await rec.close();
  const replay = await RecordedObSource.open(file);
  t.deepEqual(replay.symbols(), [...SYMS].sort());
  t.deepEqual(replay.span(), { startMs: 0, endMs: 9_500 });
  for (let i = 0; i < times.length; i++) t.deepEqual(await replay.snapshots(SYMS, times[i]), seen[i]);
  // between books: the latest at or before nowMs; before the first: nothing; unknown symbols: left out
  t.deepEqual(await replay.snapshots(SYMS, 1_499), seen[2]);
  t.deepEqual(await replay.snapshots(['BTCUSDT', 'NOPE'], -1), []);
  t.deepEqual(await replay.snapshots(['NOPE', 'ETHUSDT'], 60_000), [seen[19][1]]);
});

test('recorded: features from a replay equal the features from the live session', async (t) => {
  const file = join(tempDir(t), 'ob.jsonl');
  const live = recordingSource(new SyntheticObSource({ seed: 12, startMs: 0 }), new ObRecorder(file));
  const a = new ObFeatureEngine();
  const liveCycles = [];
  for (const now of grid(300)) liveCycles.push(a.update(await live.snapshots(SYMS, now), now));
  await live.close!();
  const replay = await RecordedObSource.open(file);
  const b = new ObFeatureEngine();
  for (const [i, now] of grid(300).entries()) t.deepEqual(b.update(await replay.snapshots(SYMS, now), now), liveCycles[i]);
});

test('recorded: a line that is not JSON is an ObDataError naming the file and line', async (t) => {
  const file = join(tempDir(t), 'bad.jsonl');
  const ok = JSON.stringify({ symbol: 'BTCUSDT', ts: 0, bids: [[99, 1]], asks: [[101, 1]] });
  writeFileSync(file, `${ok}\n\n{"symbol": "BTCUSDT", "ts": 5\n${ok}\n`);
  const e = await t.throwsAsync(RecordedObSource.open(file), { instanceOf: ObDataError });
  t.is(e!.file, file);
  t.is(e!.line, 3);
  t.true(e!.message.startsWith(`${file} line 3: not JSON`));
});

test('recorded: an invalid book names file, line, symbol and level', async (t) => {
  const file = join(tempDir(t), 'crossed.jsonl');
  const ok = JSON.stringify({ symbol: 'BTCUSDT', ts: 0, bids: [[99, 1]], asks: [[101, 1]] });
  const crossed = JSON.stringify({ symbol: 'ETHUSDT', ts: 0, bids: [[102, 1]], asks: [[101, 1]] });
  writeFileSync(file, `${ok}\n${crossed}\n`);
  const e = await t.throwsAsync(RecordedObSource.open(file), { instanceOf: ObDataError });
  t.is(e!.line, 2);
  t.is(e!.symbol, 'ETHUSDT');
  t.regex(e!.message, /crossed\.jsonl line 2 ETHUSDT bids\[0\]: crossed book/);
});

test('recorded: a missing file is a non-retryable source error', async (t) => {
  const e = await t.throwsAsync(RecordedObSource.open(join(tempDir(t), 'none.jsonl')), { instanceOf: ObSourceError });
  t.false(e!.retryable);
  t.regex(e!.message, /ENOENT/);
});

test('recorded: lines need not be in time order; equal timestamps replay the later line', async (t) => {
  const file = join(tempDir(t), 'order.jsonl');
  const snap = (ts: number, size: number): string => JSON.stringify({ symbol: 'X', ts, bids: [[99, size]], asks: [[101, 1]] });
  writeFileSync(file, [snap(1_000, 1), snap(0, 2), snap(1_000, 3)].join('\n'));
  const r = await RecordedObSource.open(file);
  t.is((await r.snapshots(['X'], 999))[0].bids[0][1], 2);
  t.is((await r.snapshots(['X'], 1_000))[0].bids[0][1], 3);
});

test('ObRecorder refuses a batch with an invalid book and writes none of it', async (t) => {
  const file = join(tempDir(t), 'rec.jsonl');
  const rec = new ObRecorder(file);
  const good: ObSnapshot = { symbol: 'A', ts: 0, bids: [[1, 1]], asks: [[2, 1]] };
  await rec.append([good]);
  await t.throwsAsync(rec.append([{ ...good, ts: 1 }, { ...good, ts: 2, asks: [[0.5, 1]] }]), { instanceOf: ObDataError });
  await rec.close();
  t.is(readFileSync(file, 'utf8'), JSON.stringify(good) + '\n');
  await t.throwsAsync(rec.append([good]), { message: /after close/ });
});

test('ObRecorder keeps call order for appends not awaited one by one', async (t) => {
  const file = join(tempDir(t), 'rec.jsonl');
  const rec = new ObRecorder(file);
  const snaps = Array.from({ length: 50 }, (_, i): ObSnapshot => ({ symbol: 'A', ts: i, bids: [[1, 1]], asks: [[2, 1]] }));
  await Promise.all(snaps.map((s) => rec.append([s])));
  await rec.close();
  const ts = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).ts);
  t.deepEqual(ts, snaps.map((s) => s.ts));
});

test('recordingSource still returns the batch when recording fails and a handler is given', async (t) => {
  const dir = tempDir(t);
  const rec = new ObRecorder(join(dir, 'no-such-dir', 'ob.jsonl'));
  const errors: unknown[] = [];
  const src = recordingSource(new SyntheticObSource({ seed: 1, startMs: 0 }), rec, (e) => errors.push(e));
  t.is((await src.snapshots(SYMS, 0)).length, 3);
  t.is(errors.length, 1);
  const strict = recordingSource(new SyntheticObSource({ seed: 1, startMs: 0 }), new ObRecorder(join(dir, 'no-such-dir', 'x.jsonl')));
  await t.throwsAsync(strict.snapshots(SYMS, 0), { message: /ENOENT/ });
});

import test from 'ava';
import { CHAMPION } from '../../engine/config.ts';
import { computeArs, computeIrp, rankAssets, selectAsset, type IrpMetrics, type Ranking } from '../../engine/irp.ts';
import type { ObProvider } from '../../engine/ob.ts';
import { approx, pricesFromReturns } from '../helpers/frames.ts';

const P = CHAMPION.irp;
const SHORT = -1 as const;

/** rankAssets over whole series (window = series length) in the SHORT regime, no OB. */
function rank(series: readonly Float64Array[], names: readonly string[], ob: ObProvider | null = null): Ranking[] {
  const w = series[0].length;
  return rankAssets(
    { assets: names, window: w, pricesOf: (a, out) => (series[a].length < w ? false : (out.set(series[a]), true)) },
    SHORT,
    P,
    ob,
    0,
    new Float64Array(w),
  );
}
const names = (rs: readonly Ranking[]) => rs.map((r) => r.asset);

// Hand-made segment: prices 8, 8.5, 9, 7, 6, 6.5 (all exact in binary), direction −1.
// diffs +0.5 +0.5 −2 −1 +0.5 → directional returns −0.5 −0.5 +2 +1 −0.5
// cumsum −0.5 −1 1 2 1.5 → mfe 2, mae |−1| = 1, efficiency 2/(1+1e-6)
// alignment 2/5 = 0.4; mean 1.5/5 = 0.3; deviations −0.8 −0.8 1.7 0.7 −0.8 → squares sum 5.3 → noise 5.3/5 = 1.06
// latency: 0.1·mfe = 0.2, first cumsum ≥ 0.2 at i = 2 → 3
const SEG = Float64Array.from([8, 8.5, 9, 7, 6, 6.5]);

test('§5.2 IRP kernel on a hand-made segment: mfe, mae, efficiency, alignment, noise, latency', (t) => {
  const m = computeIrp(SEG, SEG.length, SHORT);
  t.is(m.mfe, 2);
  t.is(m.mae, 1);
  approx(t, m.efficiency, 2 / (1 + 1e-6), 1e-15, 'efficiency');
  t.is(m.alignment, 0.4);
  approx(t, m.noise, 1.06, 1e-12, 'noise (population variance)');
  t.is(m.latency, 3);
});

test('§5.2 IRP kernel in the inverse direction of the same segment', (t) => {
  // returns +0.5 +0.5 −2 −1 +0.5; cumsum 0.5 1 −1 −2 −1.5 → mfe 1, mae 2, alignment 3/5,
  // same noise; latency: 0.1 ≤ 0.5 at i = 0 → 1
  const m = computeIrp(SEG, SEG.length, 1);
  t.deepEqual({ mfe: m.mfe, mae: m.mae, alignment: m.alignment, latency: m.latency }, { mfe: 1, mae: 2, alignment: 0.6, latency: 1 });
  approx(t, m.noise, 1.06, 1e-12);
});

test('§5.2 noise is the population variance (÷n, not ÷(n−1))', (t) => {
  // returns 1, 0, 0, 0 (prices 4, 3, 3, 3, 3 for a SHORT): mean 0.25, ss = 0.5625 + 3·0.0625 = 0.75 → 0.75/4 = 0.1875
  // (the sample variance would be 0.25)
  const m = computeIrp(Float64Array.from([4, 3, 3, 3, 3]), 5, SHORT);
  t.is(m.noise, 0.1875);
});

test('SPEC-NOTES §5: mae is 0 when the cumulative return never goes below zero', (t) => {
  // falling prices → SHORT returns +1 +1 +1: cumsum 1 2 3 → mfe 3, mae 0, efficiency 3/1e-6
  const m = computeIrp(Float64Array.from([10, 9, 8, 7]), 4, SHORT);
  t.is(m.mae, 0);
  t.is(m.mfe, 3);
  approx(t, m.efficiency, 3e6, 1e-6);
  t.is(m.alignment, 1);
  t.is(m.latency, 1);
});

test('SPEC-NOTES §5: mfe = max(0, max(cumsum)); latency is 50 when mfe = 0', (t) => {
  // rising prices in the SHORT direction: returns −1 −1, cumsum −1 −2 → mfe 0, mae 2, efficiency 0
  const m = computeIrp(Float64Array.from([1, 2, 3]), 3, SHORT);
  t.deepEqual({ mfe: m.mfe, mae: m.mae, efficiency: m.efficiency, alignment: m.alignment, latency: m.latency }, {
    mfe: 0,
    mae: 2,
    efficiency: 0,
    alignment: 0,
    latency: 50,
  });
});

test('SPEC-NOTES §5: latency = i+1 for the first return whose cumsum reaches 0.1·mfe', (t) => {
  // returns 0.25 ×2, then −0.5, then 5 → cumsum 0.25 0.5 0 5 → mfe 5, target 0.5 → i = 1 → latency 2
  const m = computeIrp(pricesFromReturns(100, [0.25, 0.25, -0.5, 5], SHORT), 5, SHORT);
  t.is(m.mfe, 5);
  t.is(m.latency, 2);
});

test('§5.3 ARS = 0.5·log1p(efficiency) + 0.35·alignment − 0.15·noise·1000', (t) => {
  // efficiency e−1 → log1p = 1 → 0.5; 0.35·0.6 = 0.21; 0.15·0.002·1000 = 0.3 → 0.41
  const m: IrpMetrics = { mfe: 1, mae: 0, efficiency: Math.E - 1, alignment: 0.6, noise: 0.002, latency: 1 };
  approx(t, computeArs(m), 0.41, 1e-12);
  // the hand-made segment: 0.5·ln(1 + 2/1.000001) + 0.35·0.4 − 0.15·1.06·1000 = 0.5493058 + 0.14 − 159
  approx(t, computeArs(computeIrp(SEG, SEG.length, SHORT)), -158.310694189, 1e-8);
});

test('§5.4 the better of direct and inverse profiles is kept (hand-made segment keeps the direct one)', (t) => {
  // direct ARS −158.3107 > inverse 0.5·ln(1 + 1/2.000001) + 0.21 − 159 = −158.5873
  const [r] = rank([SEG], ['SEG']);
  t.is(r.direction, SHORT);
  approx(t, r.ars, -158.310694189, 1e-8);
  t.is(r.metrics.alignment, 0.4);
});

test('§5.4 a rising asset is ranked with its inverse (LONG) profile in a SHORT regime', (t) => {
  const [r] = rank([Float64Array.from([1, 1.5, 2, 2.5, 3])], ['UP']);
  t.is(r.direction, 1);
  t.is(r.metrics.mfe, 2);
  t.is(r.metrics.alignment, 1);
});

test('SPEC-NOTES §5: on an exact ARS tie the direct direction is kept (inverse must be strictly higher)', (t) => {
  // prices 1, 0.5, 1, 1.5, 1: SHORT returns +0.5 −0.5 −0.5 +0.5, cumsum 0.5 0 −0.5 0 → mfe 0.5, mae 0.5, align 0.5;
  // inverse returns −0.5 +0.5 +0.5 −0.5, cumsum −0.5 0 0.5 0 → mfe 0.5, mae 0.5, align 0.5: same ARS
  const seg = Float64Array.from([1, 0.5, 1, 1.5, 1]);
  t.is(computeArs(computeIrp(seg, 5, SHORT)), computeArs(computeIrp(seg, 5, 1)));
  const [r] = rank([seg], ['TIE']);
  t.is(r.direction, SHORT);
  t.is(r.metrics.latency, 1); // the direct profile's latency (the inverse one's is 3)
});

test('§5.4 filter: noise exactly 500 passes, above 500 is skipped', (t) => {
  // SHORT returns 10 −10 30 −30 (prices 1000 990 1000 970 1000): mean 0, var (100+100+900+900)/4 = 500
  // SHORT returns 10 −10 31 −31 (… 969 …): var (200 + 1922)/4 = 530.5 → skipped
  const ok = Float64Array.from([1000, 990, 1000, 970, 1000]);
  const noisy = Float64Array.from([1000, 990, 1000, 969, 1000]);
  t.is(computeIrp(ok, 5, SHORT).noise, 500);
  t.deepEqual(names(rank([ok, noisy], ['OK', 'NOISY'])), ['OK']);
});

test('§5.4 filter: latency exactly 20 passes, 21 is skipped', (t) => {
  const alt = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 0.25 : -0.25));
  // 19 alternating returns (cumsum ends at 0.25), then +8 → cumsum 8.25 = mfe; target 0.825 first met at i = 19 → 20
  const l20 = pricesFromReturns(100, [...alt(19), 8, -0.25, 0.25, -0.25, 0.25, -0.25], SHORT);
  // 20 alternating returns (cumsum ends at 0), then +8 → first met at i = 20 → 21
  const l21 = pricesFromReturns(100, [...alt(20), 8, -0.25, 0.25, -0.25, 0.25], SHORT);
  t.is(computeIrp(l20, 26, SHORT).latency, 20);
  t.is(computeIrp(l21, 26, SHORT).latency, 21);
  t.deepEqual(names(rank([l20, l21], ['L20', 'L21'])), ['L20']);
});

test('§5.4 filter: alignment exactly 0.20 passes the kernel, below it is skipped', (t) => {
  // returns 1 0 0 0 0 → alignment 1/5 = 0.2; returns 1 0 0 0 0 0 → 1/6
  const a20 = pricesFromReturns(10, [1, 0, 0, 0, 0], SHORT);
  const a16 = pricesFromReturns(10, [1, 0, 0, 0, 0, 0], SHORT);
  t.deepEqual(names(rank([a20], ['A20'])), ['A20']);
  t.deepEqual(names(rank([a16], ['A16'])), []);
});

test('§5.4 assets with fewer prices than the window are not ranked', (t) => {
  const full = Float64Array.from([10, 9, 8, 7]);
  const short = Float64Array.from([10, 9, 8]);
  t.deepEqual(names(rank([full, short], ['FULL', 'SHORT'])), ['FULL']);
});

test('§5.4 rankings are sorted by ARS, highest first', (t) => {
  // BIG falls 0.5 per bar: mfe 2 → ARS 0.5·ln(1+2e6) + 0.35 ≈ 7.60; SMALL falls 0.25: mfe 1 → ≈ 7.26
  const big = pricesFromReturns(10, [0.5, 0.5, 0.5, 0.5], SHORT);
  const small = pricesFromReturns(10, [0.25, 0.25, 0.25, 0.25], SHORT);
  const rs = rank([small, big], ['SMALL', 'BIG']);
  t.deepEqual(names(rs), ['BIG', 'SMALL']);
  t.true(rs[0].ars > rs[1].ars);
});

test('SPEC-NOTES §5: ties in ARS keep the input (day-file column) order', (t) => {
  const s = pricesFromReturns(10, [0.25, 0.25, 0.25, 0.25], SHORT);
  const big = pricesFromReturns(10, [0.5, 0.5, 0.5, 0.5], SHORT);
  t.deepEqual(names(rank([s, s, big, s], ['B', 'A', 'TOP', 'C'])), ['TOP', 'B', 'A', 'C']);
  t.deepEqual(names(rank([s, s, big, s], ['C', 'B', 'TOP', 'A'])), ['TOP', 'C', 'B', 'A']);
});

// ---- §5.5 the walk ----

function ranking(asset: string, order: number, ars: number, direction: -1 | 1, alignment: number): Ranking {
  return { asset, order, ars, direction, metrics: { mfe: 1, mae: 0, efficiency: 1e6, alignment, noise: 0, latency: 1 } };
}

test('§5.5 walk skips an inverse-direction winner and takes the next asset', (t) => {
  const rs = [ranking('UP', 0, 9, 1, 0.9), ranking('DOWN', 1, 8, SHORT, 0.9)];
  t.is(selectAsset(rs, SHORT, P, null, 0)?.asset, 'DOWN');
});

test('§5.5 walk skips alignment below 0.45; exactly 0.45 passes', (t) => {
  const rs = [ranking('WEAK', 0, 9, SHORT, 0.449), ranking('EDGE', 1, 8, SHORT, 0.45), ranking('LAST', 2, 7, SHORT, 0.9)];
  t.is(selectAsset(rs, SHORT, P, null, 0)?.asset, 'EDGE');
});

test('§5.5 no asset passing the gates ⇒ null, with no fallback to BTCUSDT', (t) => {
  const rs = [ranking('BTCUSDT', 0, 9, 1, 0.9), ranking('ETHUSDT', 1, 8, SHORT, 0.3)];
  t.is(selectAsset(rs, SHORT, P, null, 0), null);
  t.is(selectAsset([], SHORT, P, null, 0), null);
});

test('§5.5 walk on real rankings: inverse winner and low-alignment asset above the pick are both passed over', (t) => {
  const up = Float64Array.from([1, 1.5, 2, 2.5, 3, 3.5]); // inverse profile, ARS ≈ 0.5·ln(1+2.5e6)+0.35
  const weak = pricesFromReturns(10, [0.04, -0.0025, -0.0025, -0.0025, 0.01], SHORT); // alignment 0.4
  const good = pricesFromReturns(10, [0.0025, 0.0025, 0.0025, 0.0025, 0.0025], SHORT); // alignment 1
  const rs = rank([good, weak, up], ['GOOD', 'WEAK', 'UP']);
  t.deepEqual(names(rs), ['UP', 'WEAK', 'GOOD']); // precondition: GOOD ranks last
  t.is(rs[1].metrics.alignment, 0.4);
  t.is(selectAsset(rs, SHORT, P, null, 0)?.asset, 'GOOD');
});

test('§5.5 OB depth gate: depth_quality < 0.20 is passed over, 0.20 is taken', (t) => {
  const depth: Record<string, number> = { THIN: 0.19, OK: 0.2 };
  const ob: ObProvider = {
    signal: () => null,
    placement: (a) => ({ depthQuality: depth[a] ?? 1, fillProbability: 0.5 }),
    macro: () => ({ cascadeCount: 0, regimeSignal: 0 }),
    marketMultiplier: () => 1,
  };
  const rs = [ranking('THIN', 0, 9, SHORT, 0.9), ranking('OK', 1, 8, SHORT, 0.9)];
  t.is(selectAsset(rs, SHORT, P, ob, 0)?.asset, 'OK');
});

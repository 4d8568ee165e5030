import test from 'ava';
import fc from 'fast-check';
import { CHAMPION } from '../../engine/config.ts';
import { bestAsset, rankAssets, selectAsset } from '../../engine/irp.ts';
import { SyntheticObProvider } from '../../market/ob-synthetic.ts';

const W = CHAMPION.irp.irp_window;

// Random walks with a drift per asset; some get the same series so ties in ARS occur.
const universe = fc
  .array(
    fc.record({
      start: fc.double({ min: 0.01, max: 50_000, noNaN: true }),
      drift: fc.double({ min: -0.003, max: 0.003, noNaN: true }),
      steps: fc.array(fc.double({ min: -0.004, max: 0.004, noNaN: true }), { minLength: W - 1, maxLength: W - 1 }),
      short: fc.boolean(),
      twinOfPrevious: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((specs) => {
    const series: Float64Array[] = [];
    specs.forEach((s, i) => {
      if (s.twinOfPrevious && i > 0) return void series.push(series[i - 1]);
      const p = new Float64Array(W);
      p[0] = s.start;
      for (let k = 1; k < W; k++) p[k] = p[k - 1] * (1 + s.drift + s.steps[k - 1]);
      series.push(s.short ? p.subarray(0, W - 1) : p); // a short series is not ranked
    });
    return series;
  });

test('bestAsset picks exactly what the literal rank-then-walk picks (IRP §5.4–5.5), with and without OB', (t) => {
  fc.assert(
    fc.property(universe, fc.constantFrom(-1 as const, 1 as const), fc.boolean(), fc.nat(1000), (series, dir, withOb, bar) => {
      const ob = withOb ? new SyntheticObProvider({ seed: 5 }) : null;
      const input = {
        assets: series.map((_, i) => `A${i}`),
        window: W,
        pricesOf: (a: number, out: Float64Array) => {
          if (series[a].length < W) return false;
          out.set(series[a]);
          return true;
        },
      };
      const scratch = new Float64Array(W);
      const literal = selectAsset(rankAssets(input, dir, CHAMPION.irp, ob, bar, scratch), dir, CHAMPION.irp, ob, bar);
      const fused = bestAsset(input, dir, CHAMPION.irp, ob, bar, scratch);
      t.is(fused === null ? null : input.assets[fused.index], literal?.asset ?? null);
      if (fused !== null && literal !== null) {
        t.is(fused.ars, literal.ars);
        t.is(fused.alignment, literal.metrics.alignment);
      }
    }),
    { numRuns: 300 },
  );
});

test('bestAsset agrees with the literal walk when every gate is relaxed, so picks are frequent', (t) => {
  const loose = { ...CHAMPION.irp, min_irp_alignment: 0, filter_min_alignment: 0, filter_max_latency: 50, filter_max_noise: 1e12 };
  let picked = 0;
  fc.assert(
    fc.property(universe, (series) => {
      const input = {
        assets: series.map((_, i) => `A${i}`),
        window: W,
        pricesOf: (a: number, out: Float64Array) => (series[a].length < W ? false : (out.set(series[a]), true)),
      };
      const scratch = new Float64Array(W);
      const literal = selectAsset(rankAssets(input, -1, loose, null, 0, scratch), -1, loose, null, 0);
      const fused = bestAsset(input, -1, loose, null, 0, scratch);
      if (fused !== null) picked++;
      t.is(fused === null ? null : input.assets[fused.index], literal?.asset ?? null);
    }),
    { numRuns: 200 },
  );
  t.true(picked > 20, `only ${picked} runs picked an asset`);
});

import test from 'ava';
import { computeColumns } from '../../ng3/columns.ts';
import { Ng3InputError, Ng3OptionsError } from '../../ng3/errors.ts';
import { Ng3Kernel } from '../../ng3/kernel.ts';
import { NG3_DEFAULTS, resolveNg3Options } from '../../ng3/options.ts';

test('defaults: the bible’s windows and instability columns, lag 1', (t) => {
  const o = resolveNg3Options({ assets: 3 });
  t.deepEqual(o.windows, [50, 150, 300, 750]);
  t.deepEqual(o.instabilityWindows, [50, 150]);
  t.is(o.lag, NG3_DEFAULTS.lag);
  t.deepEqual(new Ng3Kernel({ assets: 3 }).columns, [
    'vel_div',
    'v50_lambda_max_velocity',
    'v150_lambda_max_velocity',
    'v300_lambda_max_velocity',
    'v750_lambda_max_velocity',
    'instability_50',
    'instability_150',
  ]);
});

test('bad options are Ng3OptionsErrors naming the option', (t) => {
  const bad: [object, RegExp][] = [
    [{ assets: 0 }, /option assets/],
    [{ assets: 2, windows: [] }, /option windows/],
    [{ assets: 2, windows: [50, 50] }, /option windows: must be strictly increasing/],
    [{ assets: 2, windows: [1] }, /option windows\[0\]/],
    [{ assets: 2, instabilityWindows: [60] }, /option instabilityWindows: 60 is not one of the windows/],
    [{ assets: 2, lag: 0 }, /option lag/],
    [{ assets: 2, tolerance: 0 }, /option tolerance/],
    [{ assets: 2, recomputeEvery: 2.5 }, /option recomputeEvery/],
    [{ assets: 2, decayLimit: -1 }, /option decayLimit/],
  ];
  for (const [o, message] of bad) t.throws(() => resolveNg3Options(o as never), { instanceOf: Ng3OptionsError, message });
});

test('a bar with the wrong number of closes is an Ng3InputError naming the bar', (t) => {
  const k = new Ng3Kernel({ assets: 3 });
  t.throws(() => k.push([1, 2]), { instanceOf: Ng3InputError, message: 'ng3 input: bar 0 has 2 closes, expected 3' });
});

test('price series of unequal length are an Ng3InputError naming the asset', (t) => {
  t.throws(() => computeColumns([new Float64Array(5), new Float64Array(4)]), { instanceOf: Ng3InputError, message: /asset 1 has 4 bars/ });
});

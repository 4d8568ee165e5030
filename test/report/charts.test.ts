import test from 'ava';
import { downsampleMinMax, equityPoints, stableSvgIds } from '../../report/charts.ts';
import { smallRun } from './fixtures.ts';

test('stableSvgIds renumbers ids and their references per chart', (t) => {
  const svg =
    '<svg><defs><clipPath id="clip7"><rect/></clipPath><linearGradient id="gradient_3"/></defs>' +
    '<g clip-path="url(#clip7)"><path fill="url(#gradient_3)"/><use href="#clip7"/><a href="#other"/></g></svg>';
  t.is(
    stableSvgIds(svg, 'c'),
    '<svg><defs><clipPath id="c-1"><rect/></clipPath><linearGradient id="c-2"/></defs>' +
      '<g clip-path="url(#c-1)"><path fill="url(#c-2)"/><use href="#c-1"/><a href="#other"/></g></svg>',
  );
  t.is(stableSvgIds('<svg><g/></svg>', 'c'), '<svg><g/></svg>');
});

test('downsampleMinMax keeps the ends and every bucket extreme, deterministically', (t) => {
  const values = Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 37) * (i % 101));
  const out = downsampleMinMax(values, (v) => v, 500);
  t.true(out.length <= 500);
  t.is(out[0], values[0]);
  t.is(out[out.length - 1], values[values.length - 1]);
  t.is(Math.max(...out), Math.max(...values));
  t.is(Math.min(...out), Math.min(...values));
  t.deepEqual(downsampleMinMax(values, (v) => v, 500), out);
  t.deepEqual(downsampleMinMax([1, 2, 3], (v) => v, 500), [1, 2, 3]);
});

test('equity points start at the initial capital and track the drawdown from the peak', (t) => {
  const run = smallRun();
  const points = equityPoints(run);
  t.is(points.length, run.trades.length + 1);
  t.deepEqual(points[0], { trade: 0, capital: 25000, drawdown: 0 });
  t.is(points[2].drawdown, run.trades[1].capitalAfter / run.trades[0].capitalAfter - 1);
});

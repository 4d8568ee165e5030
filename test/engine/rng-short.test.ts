import test from 'ava';
import fc from 'fast-check';
import { MT19937 } from '../../engine/rng.ts';
import { ShortMT19937 } from '../../engine/rng-short.ts';

test('ShortMT19937 gives the same 1500 words as MT19937 for any seed, across the first table and beyond', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const full = new MT19937(seed);
        const short = new ShortMT19937(seed);
        for (let i = 0; i < 1500; i++) if (short.nextUint32() !== full.nextUint32()) throw new Error(`seed ${seed}: word ${i} differs`);
      }),
      { numRuns: 50 },
    ),
  );
});

test('ShortMT19937.reseed restarts the stream exactly, also after the hand-over to a full table', (t) => {
  const short = new ShortMT19937(7);
  for (let i = 0; i < 700; i++) short.nextUint32();
  short.reseed(5489);
  const full = new MT19937(5489);
  const a = Array.from({ length: 100 }, () => short.random());
  const b = Array.from({ length: 100 }, () => full.random());
  t.deepEqual(a, b);
});

test('ShortMT19937 seed 5489 starts with the reference genrand_int32 output 3499211612', (t) => {
  t.is(new ShortMT19937(5489).nextUint32(), 3499211612);
});

test('ShortMT19937 rejects a seed outside [0, 2^32)', (t) => {
  t.throws(() => new ShortMT19937(-1), { instanceOf: RangeError });
  t.throws(() => new ShortMT19937(2 ** 32), { instanceOf: RangeError });
});

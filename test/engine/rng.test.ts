import test from 'ava';
import { MT19937 } from '../../engine/rng.ts';

test('MT19937(42).random() gives numpy RandomState(42).random_sample() first five', (t) => {
  const rng = new MT19937(42);
  const draws = Array.from({ length: 5 }, () => rng.random());
  t.deepEqual(draws, [0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366, 0.15601864044243652]);
});

test('MT19937 raw stream: the 10000th output for seed 5489 is 4123659995 (the C++ std::mt19937 check value)', (t) => {
  // Exercises many twists of the 624-word state, not just the first block.
  const rng = new MT19937(5489);
  let x = 0;
  for (let i = 0; i < 10000; i++) x = rng.nextUint32();
  t.is(x, 4123659995);
});

test('MT19937 state saved mid-stream and restored continues the same stream', (t) => {
  const rng = new MT19937(42);
  for (let i = 0; i < 700; i++) rng.random(); // past a twist boundary (624 words = 312 doubles)
  const state = rng.getState();
  const expected = Array.from({ length: 400 }, () => rng.random());
  const restored = MT19937.fromState(state);
  t.deepEqual(
    Array.from({ length: 400 }, () => restored.random()),
    expected,
  );
});

test('MT19937 getState is a snapshot: drawing afterwards does not change the saved state', (t) => {
  const rng = new MT19937(42);
  const state = rng.getState();
  rng.random();
  rng.random();
  t.is(MT19937.fromState(state).random(), 0.3745401188473625);
});

test('MT19937 rejects seeds numpy would not take as a 32-bit integer', (t) => {
  t.throws(() => new MT19937(-1), { instanceOf: RangeError });
  t.throws(() => new MT19937(1.5), { instanceOf: RangeError });
  t.throws(() => new MT19937(2 ** 32), { instanceOf: RangeError });
});

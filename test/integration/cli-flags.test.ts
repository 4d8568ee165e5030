import test from 'ava';
import { parsePortFlag, UsageError } from '../../scripts/cli-errors.ts';

test('--port takes 0…65535 (0 = any free port) or "none"; anything else is a UsageError naming the flag', (t) => {
  t.is(parsePortFlag('0'), 0);
  t.is(parsePortFlag('8787'), 8787);
  t.is(parsePortFlag('none'), null);
  for (const bad of ['-1', '65536', '80.5', 'http', '']) t.throws(() => parsePortFlag(bad), { instanceOf: UsageError, message: /--port/ });
});

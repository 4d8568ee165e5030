import test from 'ava';
import { StoreUnavailableError } from '../../store/errors.ts';
import { openStore } from '../../store/open-store.ts';
import { createLogger } from '../../supervision/log.ts';

const log = createLogger({ level: 'silent' });

test('store.kind embedded opens an in-process store that reads back what it wrote', async (t) => {
  const s = await openStore({ kind: 'embedded', persist_path: null, hazelcast: {}, connect_timeout_ms: 1000 }, 'n1', log);
  await s.store.map('M').put('k', '"v"');
  t.is(await s.store.map('M').get('k'), '"v"');
  t.regex(s.where, /embedded/);
  await s.close();
});

test('store.kind hazelcast with no member answering fails start-up after connect_timeout_ms, naming the members', async (t) => {
  const e = await t.throwsAsync(
    openStore({ kind: 'hazelcast', persist_path: null, hazelcast: { members: ['127.0.0.1:1'] }, connect_timeout_ms: 300 }, 'n1', log, {}),
    { instanceOf: StoreUnavailableError },
  );
  t.regex(e?.message ?? '', /127\.0\.0\.1:1.*300 ms/);
});

test('store.kind hazelcast with a bad member address is a config error naming the field', async (t) => {
  await t.throwsAsync(openStore({ kind: 'hazelcast', persist_path: null, hazelcast: { members: ['nohost'] }, connect_timeout_ms: 300 }, 'n1', log, {}), {
    message: /store\.hazelcast\.members/,
  });
});

// The root supervisor over nact: start order, validation and refusals as dead letters, one-for-one
// restarts with backoff and re-initialised state, kill, asks failing fast, restart intensity and
// escalation, per-sender FIFO, graceful shutdown. Small backoffs keep every test well under a second.
import test from 'ava';
import fc from 'fast-check';
import { envelope } from '../../protocol/envelope.ts';
import type { Message } from '../../protocol/messages.ts';
import { ActorUnavailableError, EscalationError, Rejected } from '../../supervision/errors.ts';
import { Supervisor } from '../../supervision/supervisor.ts';
import { FAST, captureLogger, counter, gate, probe, recorder, relay, silent, sleep, until } from './helpers.ts';

function supervisor(t: { teardown(fn: () => unknown): void }, log = silent()): Supervisor {
  const sup = new Supervisor(log, FAST);
  t.teardown(() => sup.shutdown(200));
  return sup;
}

const tick = (row: number): Message => ({ type: 'Tick', date: '2024-03-01', row, ts: 0 });

async function status(sup: Supervisor, name: string, timeoutMs = 1_000): Promise<Record<string, unknown>> {
  const r = await sup.get(name).ask({ type: 'Status' }, timeoutMs);
  if (r.type !== 'StatusReply') throw new Error(`expected a StatusReply, got ${r.type}`);
  return r.detail;
}

// ---- start order ----

test('startInOrder starts each actor only after the previous one finished its init', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  sup.add(counter('a', p, { onInit: () => sleep(30) }));
  sup.add(counter('b', p, { onInit: () => sleep(5) }));
  sup.add(counter('c', p));
  await sup.startInOrder(['a', 'b', 'c']);
  t.deepEqual(p.events, ['a:init:start:1', 'a:init:end:1', 'b:init:start:1', 'b:init:end:1', 'c:init:start:1', 'c:init:end:1']);
  t.true(['a', 'b', 'c'].every((n) => sup.get(n).running));
});

test('startInOrder rejects with an EscalationError when an init keeps failing', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  sup.add(counter('store', p, { onInit: () => Promise.reject(new Error('unreachable')), policy: { ...FAST, maxRestarts: 2, backoffInitialMs: 1 } }));
  sup.add(counter('dolphin', p));
  const e = await t.throwsAsync(sup.startInOrder(['store', 'dolphin']), { instanceOf: EscalationError });
  t.is(e?.actor, 'store');
  t.false(p.events.some((x) => x.startsWith('dolphin')), 'the next actor is never started');
});

// ---- validation, refusals ----

test('a message failing validation becomes a dead letter and the actor keeps working', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe()));
  await sup.startInOrder(['c']);
  h.send({ type: 'Tick', date: '1 March', row: 1, ts: 0 } as Message); // malformed body
  h.send({ type: 'AcbEvent', boost: 1, beta: 0 }); // a type this actor does not take
  h.send({ ...envelope(tick(1)), v: 99 }); // a version it does not speak
  h.send(tick(2));
  const s = await status(sup, 'c');
  t.is(s.count, 1);
  t.deepEqual(s.seen, [2]);
  t.is(h.incarnation, 1, 'no restart');
  t.is(sup.deadLetters.counts().refused, 3);
  t.true(sup.deadLetters.recent().some((d) => /expected YYYY-MM-DD at date/.test(d.reason)));
});

test('an ask refused by validation is answered with a negative Ack naming the reason', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe()));
  await sup.startInOrder(['c']);
  const r = await h.ask({ type: 'Tick', date: 'x', row: 0, ts: 0 }, 1_000);
  t.like(r, { type: 'Ack', ok: false });
  t.regex((r as { error?: string }).error ?? '', /Tick: .* at date/);
});

test('a handler throwing Rejected makes a dead letter and a negative Ack, without a restart', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  const h = sup.add(counter('c', p, { onTick: (row) => { if (row === 13) throw new Rejected('unlucky row'); } }));
  await sup.startInOrder(['c']);
  h.send(tick(1));
  const r = await h.ask(tick(13), 1_000);
  h.send(tick(2));
  t.like(r, { type: 'Ack', ok: false, error: 'unlucky row' });
  t.deepEqual((await status(sup, 'c')).seen, [1, 2]);
  t.is(h.incarnation, 1);
  t.is(h.restarts, 0);
  t.is(p.inits, 1);
  t.like(sup.deadLetters.recent().at(-1), { to: 'c', reason: 'rejected: unlucky row', type: 'Tick' });
});

// ---- crashes and restarts ----

test('a handler throwing another error restarts the actor, its state rebuilt by init', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  p.durable.count = 100;
  const h = sup.add(counter('c', p, { onTick: (row) => { if (row === 13) throw new Error('boom'); } }));
  await sup.startInOrder(['c']);
  for (const row of [1, 2, 3]) h.send(tick(row));
  t.is((await status(sup, 'c')).count, 103);
  h.send(tick(13));
  await until('incarnation 2 running', () => h.incarnation === 2 && h.running);
  const s = await status(sup, 'c');
  t.is(s.count, 100, 'state comes from durable storage, not from the dead incarnation');
  t.deepEqual(s.seen, []);
  t.is(p.inits, 2);
  t.is(h.restarts, 1);
  t.is(h.lastError, 'boom');
  t.like(sup.health().c, { state: 'running', incarnation: 2, restarts: 1, lastError: 'boom' });
});

test('restarts wait the backoff, which doubles with each failure in the period', async (t) => {
  const { log, lines } = captureLogger('warn');
  const sup = supervisor(t, log);
  const p = probe();
  const failedAt: number[] = [];
  const initAt: number[] = [];
  const h = sup.add(
    counter('c', p, {
      policy: { maxRestarts: 5, periodMs: 10_000, backoffInitialMs: 20, backoffFactor: 2, backoffMaxMs: 1_000 },
      onInit: () => void initAt.push(performance.now()),
      onTick: () => {
        failedAt.push(performance.now());
        throw new Error('boom');
      },
    }),
  );
  await sup.startInOrder(['c']);
  h.send(tick(0));
  await until('incarnation 2', () => h.incarnation === 2 && h.running);
  h.send(tick(0));
  await until('incarnation 3', () => h.incarnation === 3 && h.running);
  const waits = [initAt[1]! - failedAt[0]!, initAt[2]! - failedAt[1]!];
  t.true(waits[0]! >= 19, `first restart after ${waits[0]} ms`);
  t.true(waits[1]! >= 39, `second restart after ${waits[1]} ms`);
  t.deepEqual(
    lines.filter((l) => l.msg === 'actor failed; restarting').map((l) => l.restartInMs),
    [20, 40],
  );
});

test('the message whose handler crashed is recorded as a dead letter with the error', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe(), { onTick: (row) => { if (row === 13) throw new Error('boom'); } }));
  await sup.startInOrder(['c']);
  const env = envelope(tick(13));
  h.send(env);
  await until('the restart', () => h.incarnation === 2);
  const d = sup.deadLetters.recent().find((x) => x.id === env.id);
  t.like(d, { to: 'c', type: 'Tick' });
  t.regex(d?.reason ?? '', /^crashed: .*boom/);
});

test('throwInNextHandler fails the next message handled and the actor restarts', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe()));
  await sup.startInOrder(['c']);
  sup.throwInNextHandler('c');
  h.send(tick(1));
  await until('the restart', () => h.incarnation === 2 && h.running);
  h.send(tick(2));
  t.deepEqual((await status(sup, 'c')).seen, [2]);
  t.regex(h.lastError ?? '', /chaos/);
});

test('messages sent while an actor is down are counted dead letters; the handle works again after the restart', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe(), { policy: { ...FAST, backoffInitialMs: 30 } }));
  await sup.startInOrder(['c']);
  sup.kill('c');
  t.is(h.state, 'restarting');
  t.deepEqual([h.send(tick(1)), h.send(tick(2)), h.send(tick(3))], [false, false, false]);
  t.is(sup.deadLetters.counts().undeliverable, 3);
  t.true(sup.deadLetters.recent().every((d) => d.reason === 'undeliverable: c is restarting'));
  await h.whenRunning();
  t.is(h.incarnation, 2);
  t.true(h.send(tick(4)));
  t.deepEqual((await status(sup, 'c')).seen, [4]);
  t.is(sup.deadLetters.counts().undeliverable, 3);
});

test('kill accounts for the messages its mailbox loses', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe()));
  await sup.startInOrder(['c']);
  for (let i = 0; i < 5; i += 1) h.send(tick(i));
  sup.kill('c');
  t.is(h.lostInMailbox, 5);
  t.regex(sup.deadLetters.recent().at(-1)?.reason ?? '', /^lost: 5 message\(s\) in the mailbox of c/);
});

test('an ask to an actor that crashes on it rejects at once, not at its timeout', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe(), { onTick: async () => { await sleep(10); throw new Error('boom'); } }));
  await sup.startInOrder(['c']);
  const t0 = performance.now();
  await t.throwsAsync(h.ask(tick(1), 5_000), { instanceOf: ActorUnavailableError });
  t.true(performance.now() - t0 < 2_500, 'well before the 5 s timeout');
});

test('an ask pending when its actor is killed rejects at once', async (t) => {
  const sup = supervisor(t);
  const hold = gate();
  const h = sup.add(counter('c', probe(), { onTick: () => hold.wait }));
  await sup.startInOrder(['c']);
  const pending = h.ask(tick(1), 5_000);
  await sleep(5);
  const t0 = performance.now();
  sup.kill('c');
  await t.throwsAsync(pending, { instanceOf: ActorUnavailableError });
  t.true(performance.now() - t0 < 2_500, 'well before the 5 s timeout');
  hold.open();
});

test('an ask to an actor that is down rejects at once with the reason', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe(), { policy: { ...FAST, backoffInitialMs: 50 } }));
  await sup.startInOrder(['c']);
  sup.kill('c');
  const e = await t.throwsAsync(h.ask({ type: 'Status' }, 800), { instanceOf: ActorUnavailableError });
  t.is(e?.why, 'restarting');
});

// ---- restart intensity ----

test('exceeding the restart intensity escalates: the listener hears it and health shows the actor failed', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  const h = sup.add(counter('c', p, { policy: { ...FAST, maxRestarts: 2, backoffInitialMs: 1 }, onTick: () => { throw new Error('boom'); } }));
  await sup.startInOrder(['c']);
  const heard: EscalationError[] = [];
  sup.onEscalation((e) => heard.push(e));
  for (let i = 1; i <= 3; i += 1) {
    await h.whenRunning();
    h.send(tick(i));
    await until(`failure ${i}`, () => !h.running);
  }
  t.is(heard.length, 1);
  t.like(heard[0], { actor: 'c', restarts: 3, withinMs: FAST.periodMs, lastError: 'boom' });
  t.like(sup.health().c, { state: 'failed', restarts: 2, incarnation: 3, lastError: 'boom' });
  await sleep(20);
  t.is(h.incarnation, 3, 'no further restart');
  t.false(h.send(tick(9)));
  t.is(sup.deadLetters.recent().at(-1)?.reason, 'undeliverable: c is failed');
});

test('every escalation reaches the onEscalation listeners, not just the first', async (t) => {
  const sup = supervisor(t);
  const policy = { ...FAST, maxRestarts: 0 };
  sup.add(counter('a', probe(), { policy }));
  sup.add(counter('b', probe(), { policy }));
  await sup.startInOrder(['a', 'b']);
  const heard: string[] = [];
  sup.onEscalation((e) => heard.push(e.actor));
  sup.kill('a');
  sup.kill('b');
  t.deepEqual(heard, ['a', 'b']);
});

test('whenRunning rejects once the actor has escalated, instead of waiting forever', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe(), { policy: { ...FAST, maxRestarts: 1, backoffInitialMs: 30 } }));
  await sup.startInOrder(['c']);
  sup.onEscalation(() => undefined);
  sup.kill('c');
  const waiting = h.whenRunning(); // asked while restarting
  sup.kill('c'); // no-op: nothing running
  await h.whenRunning();
  sup.kill('c'); // second failure within the period: escalates
  await t.notThrowsAsync(waiting);
  await t.throwsAsync(h.whenRunning(), { instanceOf: ActorUnavailableError, message: /failed/ });
});

test('whenRunning rejects when the tree shuts down while the actor is restarting', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe(), { policy: { ...FAST, backoffInitialMs: 50 } }));
  await sup.startInOrder(['c']);
  sup.kill('c');
  const waiting = h.whenRunning();
  await sup.shutdown();
  await t.throwsAsync(waiting, { instanceOf: ActorUnavailableError, message: /stopped/ });
});

// ---- incarnation races ----

test('an incarnation killed during its init never counts as running once that init completes', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  const first = gate();
  const second = gate();
  let timerCalls = 0;
  const h = sup.add(
    counter('a', p, {
      onInit: (incarnation) => (incarnation === 1 ? first.wait : second.wait),
      timers: [{ everyMs: 5, message: (now) => (timerCalls += 1, { type: 'ObCycle', now }) }],
    }),
  );
  sup.add(counter('b', p));
  const started = sup.startInOrder(['a', 'b']);
  await until('a initialising', () => p.events.includes('a:init:start:1'));
  sup.kill('a');
  await until('incarnation 2 initialising', () => p.events.includes('a:init:start:2'));
  first.open(); // the dead incarnation's init completes now
  await sleep(20);
  t.is(h.state, 'starting', 'incarnation 2 is still initialising');
  t.false(p.events.includes('b:init:start:1'), 'b must wait for a running a');
  t.is(timerCalls, 0, 'no timer of the dead incarnation fires');
  second.open();
  await started;
  t.true(h.running);
  t.is(h.incarnation, 2);
  // one interval of 5 ms fires at most elapsed/5 times; a leaked second one would double that
  const before = timerCalls;
  const t0 = performance.now();
  await sleep(60);
  const fired = timerCalls - before;
  const elapsed = performance.now() - t0;
  t.true(fired <= elapsed / 5 + 1, `one timer only: ${fired} calls in ${elapsed.toFixed(0)} ms at everyMs 5`);
});

test('the next incarnation starts only after the previous one finished its cleanup', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  const h = sup.add(
    counter('c', p, {
      policy: { ...FAST, backoffInitialMs: 1 },
      onInit: (incarnation, env) =>
        env.own(async () => {
          await sleep(30);
          p.events.push(`c:cleanup:${incarnation}`);
        }),
    }),
  );
  await sup.startInOrder(['c']);
  sup.kill('c');
  await until('incarnation 2 running', () => h.incarnation === 2 && h.running);
  t.deepEqual(p.events.slice(2), ['c:cleanup:1', 'c:init:start:2', 'c:init:end:2']);
});

// ---- order ----

// serial: ava runs it alone, before the concurrent tests, so its 10,000 turns do not crowd the others
test.serial('10,000 messages sent in order by one sender are handled in that order', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe()));
  await sup.startInOrder(['c']);
  const n = 10_000;
  for (let i = 0; i < n; i += 1) h.send(tick(i));
  const seen = (await status(sup, 'c', 10_000)).seen as number[];
  t.is(seen.length, n);
  t.true(seen.every((row, i) => row === i));
});

test('two senders interleaved at random: each sender’s messages arrive in its own order (property)', async (t) => {
  const scenario = fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 60 });
  await t.notThrowsAsync(fc.assert(
    fc.asyncProperty(scenario, async (steps) => {
      const sup = new Supervisor(silent(), FAST);
      try {
        const pauses = { a: new Map<number, number>(), b: new Map<number, number>() };
        sup.add(relay('a', 'rec', (row) => pauses.a.get(row) ?? 0));
        sup.add(relay('b', 'rec', (row) => pauses.b.get(row) ?? 0));
        sup.add(recorder('rec'));
        await sup.startInOrder(['rec', 'a', 'b']);
        const next = { a: 0, b: 0 };
        for (const [fromA, pause] of steps) {
          const who = fromA ? 'a' : 'b';
          pauses[who].set(next[who], pause);
          sup.get(who).send(tick(next[who]));
          next[who] += 1;
        }
        await Promise.all([sup.get('a').ask({ type: 'Barrier' }, 1_000), sup.get('b').ask({ type: 'Barrier' }, 1_000)]);
        const r = await sup.get('rec').ask({ type: 'Status' }, 1_000);
        if (r.type !== 'StatusReply') throw new Error(`expected a StatusReply, got ${r.type}`);
        const arrivals = r.detail.arrivals as Array<[string, number]>;
        for (const who of ['a', 'b'] as const) {
          const mine = arrivals.filter(([s]) => s === who).map(([, seq]) => seq);
          if (mine.length !== next[who] || mine.some((seq, i) => seq !== i)) throw new Error(`${who} arrived as ${mine.join(',')}`);
        }
      } finally {
        await sup.shutdown(200);
      }
    }),
    { numRuns: 40 },
  ));
});

test('a Barrier is answered only after everything queued before it was handled', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe(), { onTick: () => sleep(1) }));
  await sup.startInOrder(['c']);
  for (let i = 0; i < 20; i += 1) h.send(tick(i));
  t.like(await h.ask({ type: 'Barrier' }, 1_000), { type: 'Ack', ok: true });
  t.is(h.mailboxDepth, 0);
  t.is((await status(sup, 'c')).count, 20);
});

// ---- shutdown ----

test('shutdown drains every actor in reverse start order, after its queued messages', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  const counts: Record<string, number> = {};
  for (const n of ['store', 'acb', 'dolphin']) sup.add(counter(n, p, { onDrain: (s) => void (counts[n] = s.count) }));
  await sup.startInOrder(['store', 'acb', 'dolphin']);
  for (let i = 0; i < 50; i += 1) sup.get('store').send(tick(i));
  await sup.shutdown();
  t.deepEqual(
    p.events.filter((e) => e.endsWith(':drain')),
    ['dolphin:drain', 'acb:drain', 'store:drain'],
  );
  t.is(counts.store, 50, 'the drain came after the queued messages');
  t.true(Object.values(sup.health()).every((x) => x.state === 'stopped'));
  t.false(sup.get('store').send(tick(0)));
  t.is(sup.deadLetters.recent().at(-1)?.reason, 'undeliverable: store is stopped');
});

test('shutdown stops the actors’ timers', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  sup.add(counter('ob', p, { timers: [{ everyMs: 2, message: (now) => ({ type: 'ObCycle', now }) }] }));
  await sup.startInOrder(['ob']);
  await until('a few cycles', () => p.cycles >= 3);
  await sup.shutdown();
  const after = p.cycles;
  await sleep(20);
  t.is(p.cycles, after);
});

test('shutdown cancels a pending restart', async (t) => {
  const sup = supervisor(t);
  const p = probe();
  const h = sup.add(counter('c', p, { policy: { ...FAST, backoffInitialMs: 20 } }));
  await sup.startInOrder(['c']);
  sup.kill('c');
  await sup.shutdown();
  await sleep(40);
  t.is(p.inits, 1);
  t.is(h.state, 'stopped');
});

test('delayNextHandler holds the next message and the ones behind it keep their order (no restart, nothing lost)', async (t) => {
  const sup = supervisor(t);
  const h = sup.add(counter('c', probe()));
  await sup.startInOrder(['c']);
  sup.delayNextHandler('c', 40);
  const t0 = performance.now();
  for (let row = 1; row <= 5; row++) h.send(tick(row));
  const s = await status(sup, 'c');
  t.true(performance.now() - t0 >= 35, 'the first message waited');
  t.deepEqual(s.seen, [1, 2, 3, 4, 5]);
  t.is(h.incarnation, 1);
});

// Receipt-side validation: whatever arrives, accept/acceptAny/decode answer with the envelope or the
// one-line reason it is refused, and never throw (DESIGN invariant 8).
import test from 'ava';
import fc from 'fast-check';
import { decode, encode, packr } from '../../protocol/codec.ts';
import { PROTOCOL_VERSION, envelope } from '../../protocol/envelope.ts';
import { DolphinMsg, ObMsg, SCHEMAS, Tick } from '../../protocol/messages.ts';
import { accept, acceptAny, type Accepted } from '../../protocol/validate.ts';

function reasonOf(r: Accepted<{ type: string }>): string {
  if (r.ok) throw new Error(`accepted, expected a refusal: ${JSON.stringify(r.env)}`);
  return r.reason;
}

const tick = { type: 'Tick', date: '2024-03-01', row: 3, ts: 1 } as const;
const wrap = (body: unknown, over: Record<string, unknown> = {}) => ({ v: PROTOCOL_VERSION, type: (body as { type?: unknown } | null)?.type, id: 'x-1', ts: 0, body, ...over });

test('a valid envelope is accepted as it is', (t) => {
  const env = envelope(tick);
  const r = accept(DolphinMsg, env);
  t.true(r.ok);
  if (r.ok) t.is(r.env, env);
});

test('an unknown message type is refused and named', (t) => {
  const reason = reasonOf(acceptAny(wrap({ type: 'Teleport' })));
  t.regex(reason, /unknown message type "Teleport"/);
});

test('type names inherited from Object.prototype are unknown types, not a crash', (t) => {
  for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
    const raw = wrap({ type });
    t.regex(reasonOf(acceptAny(raw)), /unknown message type/, type);
    t.regex(reasonOf(accept(DolphinMsg, raw)), /unknown message type/, type);
    t.regex(reasonOf(decode(encode(raw as never))), /unknown message type/, type);
  }
});

test('a wrong or missing protocol version is refused with both versions named', (t) => {
  for (const v of [0, PROTOCOL_VERSION + 1, '1', undefined, null]) {
    const reason = reasonOf(acceptAny(wrap(tick, { v })));
    t.regex(reason, /unsupported protocol version/);
    t.true(reason.includes(`this node speaks ${PROTOCOL_VERSION}`));
  }
});

test('a version or type that cannot be printed (toString not callable, a BigInt, a cycle) is refused with a reason, not thrown on', (t) => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  // fast-check found { v: { toString: null } }: String() threw inside the receiver's validation
  for (const odd of [{ toString: null }, Object.create(null), 10n, cyclic]) {
    t.regex(reasonOf(acceptAny({ ...wrap(tick, {}), v: odd })), /unsupported protocol version/);
    t.regex(reasonOf(acceptAny({ v: PROTOCOL_VERSION, type: odd, body: { type: 'Ack' } })), /unknown message type/);
  }
});

test('a body failing its schema is refused with the path of the offending field', (t) => {
  t.regex(reasonOf(acceptAny(wrap({ ...tick, date: '1 March' }))), /^Tick: expected YYYY-MM-DD at date$/);
  t.regex(reasonOf(acceptAny(wrap({ ...tick, row: -1 }))), /^Tick: .* at row$/);
  const put = { type: 'FeaturePut', values: [{ symbol: 'BTC', feature: 'f', value: 1 }, { symbol: '', feature: 'f', value: 1 }] };
  t.regex(reasonOf(acceptAny(wrap(put))), /^FeaturePut: .* at values\.1\.symbol$/);
  const factors = { type: 'FactorsUpdate', date: '2024-03-01', factors: { funding_btc: 0, dvol_btc: 0, fng: 'greedy', taker: 0 } };
  t.regex(reasonOf(acceptAny(wrap(factors))), /^FactorsUpdate: .* at factors\.fng$/);
});

test('a cross-field rule failing is refused with its message', (t) => {
  const f = (n: number) => new Float64Array(n);
  const batch = { type: 'BarBatch', date: '2024-03-01', assets: ['BTC', 'ETH'], startRow: 0, ts: f(2), velDiv: f(2), v50: f(2), v750: f(2), prices: f(3) };
  t.regex(reasonOf(acceptAny(wrap(batch))), /^BarBatch: prices must hold rows × assets values$/);
});

test('a Float64Array field holding anything else is refused, not thrown on', (t) => {
  for (const ts of [null, 'abc', [1, 2], new Float32Array(2), undefined]) {
    const batch = { type: 'BarBatch', date: '2024-03-01', assets: [], startRow: 0, ts, velDiv: new Float64Array(2), v50: new Float64Array(2), v750: new Float64Array(2), prices: new Float64Array(0) };
    t.regex(reasonOf(acceptAny(wrap(batch))), /^BarBatch: .* at ts$/);
  }
});

test('an envelope whose type differs from its body type is refused', (t) => {
  t.regex(reasonOf(acceptAny(wrap(tick, { type: 'EndOfData' }))), /^EndOfData: body type does not match the envelope$/);
  t.regex(reasonOf(acceptAny(wrap(null, { type: 'Tick' }))), /body type does not match/);
  t.regex(reasonOf(acceptAny(wrap('Tick', { type: 'Tick' }))), /body type does not match/);
});

test('a known type this actor does not accept is refused by its schema', (t) => {
  const reason = reasonOf(accept(ObMsg, envelope(tick)));
  t.regex(reason, /^Tick: /);
});

test('something that is no object is not an envelope', (t) => {
  for (const raw of [null, undefined, 42, 'Tick', true]) t.regex(reasonOf(acceptAny(raw)), /not an envelope/);
});

test('garbage bytes decode to a refusal with a reason', (t) => {
  const valid = encode(envelope(tick));
  const cases: Uint8Array[] = [
    new Uint8Array(0),
    valid.subarray(0, valid.length - 3), // truncated
    Uint8Array.from([...valid, 0x01]), // trailing byte
    Uint8Array.from([0xc1]), // the byte msgpack never uses
    Uint8Array.from([0xdb, 0xff, 0xff, 0xff, 0xff]), // a 4 GiB string that is not there
    packr.pack(42),
    packr.pack({ v: PROTOCOL_VERSION, type: 'Tick' }), // no body
  ];
  for (const bytes of cases) {
    const r = decode(bytes);
    t.false(r.ok);
    if (!r.ok) t.true(r.reason.length > 0);
  }
});

test('decode never throws on arbitrary bytes (property)', (t) => {
  const valid = encode(envelope(tick));
  const mutated = fc
    .tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }))
    .map(([i, b]) => Uint8Array.from(valid, (x, j) => (j === i ? b : x)));
  t.notThrows(() => fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutated), (bytes) => {
      const r = decode(bytes); // throwing fails the property
      return r.ok ? typeof r.env.type === 'string' : r.reason.length > 0;
    }),
    { numRuns: 2000 },
  ));
});

test('accept and acceptAny never throw on any value (property)', (t) => {
  const typeName = fc.oneof(fc.constantFrom(...Object.keys(SCHEMAS), 'toString', 'constructor', '__proto__', 'valueOf'), fc.string());
  const envelopeLike = fc.record({ v: fc.oneof(fc.constant(PROTOCOL_VERSION), fc.anything()), type: typeName, body: fc.anything() }).chain((e) =>
    fc.oneof(fc.constant(e), fc.anything().map((rest) => ({ ...e, body: { ...(typeof rest === 'object' ? rest : {}), type: e.type } }))),
  );
  t.notThrows(() => fc.assert(
    fc.property(fc.oneof(fc.anything(), envelopeLike), (raw) => {
      const a = acceptAny(raw);
      const b = accept(Tick, raw);
      return (a.ok || a.reason.length > 0) && (b.ok || b.reason.length > 0);
    }),
    { numRuns: 2000 },
  ));
});

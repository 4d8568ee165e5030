// ShardedFeatureActor (bible §15): routes feature reads and writes to the shard maps, and fans store
// entry events out to the actors that subscribe to them, as typed messages. The store's listener runs
// outside this mailbox (like Hazelcast's event threads), so it only forwards a StoreEvent to itself;
// everything else happens in order, inside the mailbox.
import type { Of } from '../protocol/messages.ts';
import { type FeatureMessage, FeatureMsg } from '../protocol/messages.ts';
import { putFeatures, getNumericFeature } from '../store/feature-router.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { ACB_BOOST_KEY, DOLPHIN_FEATURES } from '../store/names.ts';
import { parseAcbBoost } from '../store/payloads.ts';
import type { ActorDef, ActorEnv, ReceiveContext } from '../supervision/actor-def.ts';
import { Rejected } from '../supervision/errors.ts';
import type { NodeContext } from './context.ts';

/** One subscription: events of map[key] become `toMessage(value)` sent to actor `to`. */
interface Subscription {
  map: string;
  key: string;
  to: string;
  toMessage(value: string): { type: 'AcbEvent'; boost: number; beta: number };
}

type Reply = ReceiveContext<FeatureMessage>['reply'];

export interface FeatureState {
  /** the last value forwarded per "map/key" */
  forwarded: Map<string, string>;
  waiters: Map<string, Array<{ value: string; reply: Reply }>>;
  events: number;
  writes: number;
  /** the store was reachable at the last check: events missed while it was not are re-read on return */
  connected: boolean;
  resyncs: number;
}

const slot = (map: string, key: string) => `${map}/${key}`;

export function featuresActor(ctx: NodeContext, opts: { dolphin: string; resyncCheckMs?: number }, name = 'features'): ActorDef<FeatureState, FeatureMessage> {
  const subs: Subscription[] = [
    {
      map: DOLPHIN_FEATURES,
      key: ACB_BOOST_KEY,
      to: opts.dolphin,
      toMessage: (v) => ({ type: 'AcbEvent', ...parseAcbBoost(v) }),
    },
  ];
  return {
    name,
    schema: FeatureMsg,
    init: (env) => subscribe(ctx, env, subs),
    // a cluster that drops the client loses the events of the outage (Hazelcast does not replay them)
    timers: [{ everyMs: opts.resyncCheckMs ?? 1_000, message: (now) => ({ type: 'StoreResync', now }) }],
    async receive(s, msg, rc) {
      switch (msg.type) {
        case 'StoreResync': {
          const connected = ctx.store.health().connected;
          if (connected && !s.connected) await resync(ctx, s, subs, rc.env);
          s.connected = connected;
          return s;
        }
        case 'StoreEvent':
          forward(s, subs, msg, rc.env);
          return s;
        case 'AwaitStoreValue': {
          const k = slot(msg.map, msg.key);
          if (s.forwarded.get(k) === msg.value) rc.reply({ type: 'Ack', ok: true });
          else s.waiters.set(k, [...(s.waiters.get(k) ?? []), { value: msg.value, reply: rc.reply }]);
          return s;
        }
        case 'FeaturePut':
          try {
            await putFeatures(ctx.store, msg.values);
          } catch (e) {
            // an outage must not crash the router: the OB stream rewrites every feature each 500 ms cycle
            if (!(e instanceof StoreUnavailableError)) throw e;
            rc.reply({ type: 'Ack', ok: false, error: e.message });
            return s;
          }
          s.writes += msg.values.length;
          rc.reply({ type: 'Ack', ok: true, detail: { written: msg.values.length } });
          return s;
        case 'FeatureGet':
          rc.reply({ type: 'FeatureValue', value: await getNumericFeature(ctx.store, msg.feature, msg.symbol) });
          return s;
        default:
          return s;
      }
    },
    status: (s) => ({ events: s.events, writes: s.writes, resyncs: s.resyncs, connected: s.connected, subscriptions: subs.map((x) => `${slot(x.map, x.key)} → ${x.to}`) }),
  };
}

/**
 * Registers the listeners of this incarnation and re-sends each subscribed value as it stands now:
 * events that fired while no incarnation listened are not lost, and a value already applied is a no-op.
 */
async function subscribe(ctx: NodeContext, env: ActorEnv, subs: readonly Subscription[]): Promise<FeatureState> {
  const s: FeatureState = { forwarded: new Map(), waiters: new Map(), events: 0, writes: 0, connected: ctx.store.health().connected, resyncs: 0 };
  for (const sub of subs) {
    const map = ctx.store.map(sub.map);
    const off = await map.addEntryListener((e) => env.self.send({ type: 'StoreEvent', map: e.map, key: e.key, value: e.value, kind: e.kind }), sub.key);
    env.own(off);
    const now = await map.get(sub.key);
    if (now === null) continue;
    const event = { type: 'StoreEvent', map: sub.map, key: sub.key, value: now, kind: 'updated' } as const;
    try {
      forward(s, subs, event, env);
    } catch (e) {
      if (!(e instanceof Rejected)) throw e;
      env.deadLetters.record(env.name, `rejected: ${e.message}`, event);
    }
  }
  return s;
}

/** After an outage: each subscribed value that changed meanwhile is forwarded as its missed event would have been. */
async function resync(ctx: NodeContext, s: FeatureState, subs: readonly Subscription[], env: ActorEnv): Promise<void> {
  s.resyncs += 1;
  for (const sub of subs) {
    let now: string | null;
    try {
      now = await ctx.store.map(sub.map).get(sub.key);
    } catch (e) {
      if (e instanceof StoreUnavailableError) return; // gone again: the next check retries
      throw e;
    }
    if (now === null || s.forwarded.get(slot(sub.map, sub.key)) === now) continue;
    env.log.info({ map: sub.map, key: sub.key }, 'store back: forwarding the value written during the outage');
    forward(s, subs, { type: 'StoreEvent', map: sub.map, key: sub.key, value: now, kind: 'updated' }, env);
  }
}

function forward(s: FeatureState, subs: readonly Subscription[], e: Of<'StoreEvent'>, env: ActorEnv): void {
  s.events += 1;
  if (e.value === null) return; // a removed key carries nothing to apply
  const k = slot(e.map, e.key);
  for (const sub of subs) {
    if (sub.map !== e.map || sub.key !== e.key) continue;
    let msg;
    try {
      msg = sub.toMessage(e.value);
    } catch (err) {
      throw new Rejected(`${k}: ${(err as Error).message}`);
    }
    env.tree.get(sub.to).send(msg);
  }
  s.forwarded.set(k, e.value);
  const waiting = s.waiters.get(k) ?? [];
  const still = waiting.filter((w) => w.value !== e.value);
  for (const w of waiting) if (w.value === e.value) w.reply({ type: 'Ack', ok: true });
  if (still.length > 0) s.waiters.set(k, still);
  else s.waiters.delete(k);
}

// WatchdogActor (bible §11, §16.3): gathers the sensors, runs the survival stack with hysteresis and
// writes the posture to DOLPHIN_SAFETY (the only writer of it, DESIGN invariant 6). Every read that
// fails counts as the worst reading (fail closed, invariant 7): an unreachable store is Cat1 = 0.
import { INITIAL_SURVIVAL, SURVIVAL_DEFAULTS, survivalStep, type Sensors, type SurvivalParams, type SurvivalState, type SurvivalStep } from '../engine/survival.ts';
import type { Posture } from '../engine/types.ts';
import { type WatchdogMessage, WatchdogMsg } from '../protocol/messages.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { colorOfDirection, DOLPHIN_FEATURES, FOREWARNER_STATUS_KEY, pnlMapName } from '../store/names.ts';
import { parseForewarnerStatus } from '../store/payloads.ts';
import { writePosture } from '../store/posture.ts';
import type { ActorDef } from '../supervision/actor-def.ts';
import type { NodeContext } from './context.ts';
import { OB_QUALITY_KEY, obQualityKey } from './keys.ts';
import { combineObQuality, parseObQuality, type ObQuality } from './ob-quality.ts';
import { PnlDrawdown } from './pnl-drawdown.ts';

export interface WatchdogState {
  survival: SurvivalState;
  lastNow: number | null;
  last: { step: SurvivalStep; sensors: Sensors; written: Posture | null; at: number } | null;
  writes: number;
  drawdown: PnlDrawdown;
}

export function watchdogActor(ctx: NodeContext, opts: { cycleMs: number; params?: SurvivalParams }, name = 'watchdog'): ActorDef<WatchdogState, WatchdogMessage> {
  const p = opts.params ?? SURVIVAL_DEFAULTS;
  return {
    name,
    schema: WatchdogMsg,
    init: () => ({ survival: INITIAL_SURVIVAL, lastNow: null, last: null, writes: 0, drawdown: new PnlDrawdown(pnlMapName(colorOfDirection(ctx.cfg.direction)), ctx.options.capital) }),
    timers: [{ everyMs: opts.cycleMs, message: () => ({ type: 'WatchdogCycle', now: ctx.now() }) }],
    async receive(s, msg, rc) {
      if (msg.type !== 'WatchdogCycle' && msg.type !== 'WatchdogDayStart') return s;
      const sensors = await readSensors(ctx, msg.now, s.drawdown);
      const dtMin = s.lastNow === null ? 0 : Math.max(0, (msg.now - s.lastNow) / 60_000);
      const step = survivalStep(s.survival, sensors, dtMin, p);
      s.survival = step.state;
      s.lastNow = msg.now;
      // replay with a schedule: the factors file decides the posture of each date; live: the stack does
      const scheduled = msg.type === 'WatchdogDayStart' && ctx.options.postureSource === 'schedule' ? (ctx.inputs.postureByDate.get(msg.date) ?? 'APEX') : null;
      // in a cluster only the elected watchdog writes the posture (DESIGN invariant 6)
      const leads = ctx.cluster.leads('watchdog');
      const posture = !leads ? null : ctx.options.postureSource === 'survival' ? step.posture : scheduled;
      let written = false;
      if (posture !== null) {
        const b = step.breakdown;
        try {
          await writePosture(ctx.store, { posture, rm: step.rm, breakdown: { cat1: b.cat1, cat2: b.cat2, cat3: b.cat3, cat4: b.cat4, cat5: b.cat5 }, timestampMs: msg.now });
          s.writes += 1;
          written = true;
        } catch (e) {
          // readers fail closed on their own when the store is gone; the next cycle writes again
          if (!(e instanceof StoreUnavailableError)) throw e;
          rc.env.log.warn({ err: e.message, posture }, 'posture not written: store unavailable');
        }
      }
      s.last = { step, sensors, written: posture, at: msg.now };
      rc.reply({ type: 'Ack', ok: true, detail: { posture: posture ?? step.posture, rm: step.rm, written, leads } });
      return s;
    },
    status: (s) => ({ posture: s.last?.written ?? s.survival.posture, rm: s.last?.step.rm ?? null, breakdown: s.last?.step.breakdown ?? null, sensors: s.last?.sensors ?? null, writes: s.writes }),
  };
}

/** The sensors of §11.2 as this node can read them; a sensor it cannot read reads as failed. */
export async function readSensors(ctx: NodeContext, now: number, drawdown?: PnlDrawdown): Promise<Sensors> {
  const h = ctx.store.health();
  const base: Sensors = {
    hzNodes: h.connected ? h.nodes : 0,
    heartbeatAgeS: h.connected ? Math.max(0, (now - h.lastHeartbeatMs) / 1000) : Infinity,
    mcStatus: 'OK',
    mcStalenessHours: 0,
    obStale: true,
    depthQuality: 0,
    fillProbability: 0,
    minutesSinceDvolSpike: null, // no DVOL feed in replay; the live feed (a later issue) supplies it
    drawdown: 0,
  };
  if (!h.connected) return base;
  const features = ctx.store.map(DOLPHIN_FEATURES);
  let mc: string | null, ob: ObQuality | null, dd: number;
  try {
    [mc, ob, dd] = await Promise.all([features.get(FOREWARNER_STATUS_KEY), readObQuality(ctx), drawdownFromPnl(ctx, drawdown)]);
  } catch (e) {
    if (e instanceof StoreUnavailableError) return { ...base, hzNodes: 0, heartbeatAgeS: Infinity };
    throw e;
  }
  if (mc !== null) {
    const st = parseForewarnerStatus(mc);
    base.mcStatus = st.status;
    base.mcStalenessHours = Math.max(0, (now - st.timestampMs) / 3_600_000);
  }
  if (ob !== null) {
    base.obStale = ob.stale;
    base.depthQuality = ob.depthQuality;
    base.fillProbability = ob.fillProbability;
  }
  base.drawdown = dd;
  return base;
}

/** The OB stream's quality: this node's, or in a cluster the live nodes' shares combined. */
async function readObQuality(ctx: NodeContext): Promise<ObQuality | null> {
  const features = ctx.store.map(DOLPHIN_FEATURES);
  if (ctx.cluster.nodeId === null) {
    const json = await features.get(OB_QUALITY_KEY);
    return json === null ? null : parseObQuality(json);
  }
  const keys = ctx.cluster.liveNodes().map(obQualityKey);
  const shares = await Promise.all(keys.map(async (key) => {
    const json = await features.get(key);
    return json === null ? null : parseObQuality(json, key);
  }));
  return combineObQuality(shares);
}

/** Drawdown from the PnL map, through the incarnation's parse cache (a fresh one when none is given). */
async function drawdownFromPnl(ctx: NodeContext, cache?: PnlDrawdown): Promise<number> {
  const map = ctx.store.map(pnlMapName(colorOfDirection(ctx.cfg.direction)));
  return (cache ?? new PnlDrawdown(map.name, ctx.options.capital)).update(await map.entries());
}

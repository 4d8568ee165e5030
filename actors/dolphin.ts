// DolphinActor (bible §14): the engine's only caller. Day-file mode runs processDay on the first tick
// of a date; streaming mode feeds processBar bar by bar, opening the day once and writing its result
// once at the date change. Invariants kept here, inside one mailbox:
// - once per date: the PnL map's keys are the processed dates, read back by every new incarnation;
// - pending flag (§14.2): an ACB event is only stored; the next bar applies it (latest wins, once);
// - restart: the engine is restored from the checkpoint of the last processed date, so a killed actor
//   re-runs an interrupted date from its first bar and ends bit-identical to an uninterrupted run.
import { AlphaEngine, type BarInput, type DayStart } from '../engine/alpha-engine.ts';
import type { Forewarner } from '../engine/forewarner.ts';
import type { DayFrame, DayResult, ForewarnerReport, Posture } from '../engine/types.ts';
import { nextId } from '../protocol/envelope.ts';
import { type DolphinMessage, DolphinMsg, type Of } from '../protocol/messages.ts';
import { readPosture } from '../store/posture.ts';
import type { ActorDef, ActorEnv, ReceiveContext } from '../supervision/actor-def.ts';
import { Rejected } from '../supervision/errors.ts';
import { decodeValue, encodeValue } from './checkpoint.ts';
import type { NodeContext } from './context.ts';
import { dolphinMaps, readDayAcb, readMcReport, writeDayResult } from './dolphin-store.ts';
import { sameStrings } from './same-strings.ts';

interface OpenDay {
  date: string;
  assets: readonly string[];
  nextRow: number;
}

export interface DolphinState {
  /** this incarnation's id: the feed compares it across answers to notice a restart between them */
  epoch: string;
  engine: AlphaEngine;
  processed: Set<string>;
  open: OpenDay | null;
  pending: { boost: number; beta: number } | null;
  /** closed trades the engine held when the current day began (the day's trades follow them) */
  tradeMark: number;
  restoredFrom: string | null;
  counters: { acbReceived: number; acbApplied: number; acbSuperseded: number; days: number; bars: number; skipped: number; rewinds: number };
  lastResult: DayResult | null;
  /** another node's Dolphin of this colour leads the cluster: bars are left to it, state goes stale */
  following: boolean;
}

/** The forewarner report the engine's gate reads; one per node, refreshed at each date change. */
interface GateHolder {
  report: ForewarnerReport | null;
}

export function dolphinActor(ctx: NodeContext, name = 'dolphin'): ActorDef<DolphinState, DolphinMessage> {
  const gate: GateHolder = { report: null };
  return {
    name,
    schema: DolphinMsg,
    init: (env) => recover(ctx, env, gate),
    receive: (s, msg, rc) => receive(ctx, gate, s, msg, rc),
    status: (s) => ({
      processed: s.processed.size,
      openDay: s.open?.date ?? null,
      nextRow: s.open?.nextRow ?? null,
      pendingAcb: s.pending,
      restoredFrom: s.restoredFrom,
      capital: s.engine.capital,
      openPosition: s.engine.openPosition(),
      lastResult: s.lastResult,
      ...s.counters,
    }),
  };
}

/** A new incarnation: processed dates from the PnL map, the engine from the latest checkpoint. */
async function recover(ctx: NodeContext, env: ActorEnv, gate: GateHolder): Promise<DolphinState> {
  const maps = dolphinMaps(ctx);
  const processed = new Set(await maps.pnl.keys());
  const latest = [...processed].sort().at(-1) ?? null;
  const forewarner: Forewarner | null = ctx.options.forewarnerGate ? () => gate.report ?? { catastrophicProbability: 0, envelopeScore: 0 } : null;
  let engine = new AlphaEngine(ctx.cfg, ctx.options.capital, { forewarner });
  let restoredFrom: string | null = null;
  if (latest !== null) {
    const text = await maps.state.get(latest);
    if (text === null) {
      env.log.warn({ latest }, 'no engine checkpoint for the latest processed date: starting a fresh engine; processed dates stay skipped');
    } else {
      engine = AlphaEngine.restore(ctx.cfg, decodeValue(text, `${maps.state.name}[${latest}]`), { forewarner });
      restoredFrom = latest;
    }
  }
  env.log.info({ processed: processed.size, restoredFrom }, 'dolphin recovered');
  return {
    epoch: nextId(),
    engine,
    processed,
    open: null,
    pending: null,
    tradeMark: engine.trades.length,
    restoredFrom,
    counters: { acbReceived: 0, acbApplied: 0, acbSuperseded: 0, days: 0, bars: 0, skipped: 0, rewinds: 0 },
    lastResult: null,
    following: false,
  };
}

async function receive(
  ctx: NodeContext,
  gate: GateHolder,
  s: DolphinState,
  msg: DolphinMessage,
  rc: ReceiveContext<DolphinMessage>,
): Promise<DolphinState> {
  if (msg.type === 'Tick' || msg.type === 'BarBatch') {
    if (!ctx.cluster.leads('dolphin')) {
      // one Dolphin per colour in a cluster: this one waits, and picks up from the store when elected
      rc.reply({ type: 'Ack', ok: true, detail: { epoch: s.epoch, skipped: 'another node trades this colour' } });
      return s.following ? s : { ...s, following: true, open: null };
    }
    if (s.following) {
      rc.env.log.info('elected: recovering the strategy from the store');
      s = { ...(await recover(ctx, rc.env, gate)), counters: s.counters };
    }
  }
  switch (msg.type) {
    case 'AcbEvent':
      // §14.2: the listener's side only stores the value; no engine call here
      s.counters.acbReceived += 1;
      s.pending = { boost: msg.boost, beta: msg.beta };
      return s;
    case 'Tick':
      if (ctx.options.mode !== 'day-file') throw new Rejected(`Tick ${msg.date}: this node runs in ${ctx.options.mode} mode`);
      rc.reply(withEpoch(s, await dayFileTick(ctx, gate, s, msg.date)));
      return s;
    case 'BarBatch': {
      if (ctx.options.mode !== 'streaming') throw new Rejected(`BarBatch ${msg.date}: this node runs in ${ctx.options.mode} mode`);
      const next = await streamBatch(ctx, gate, s, msg, rc.env);
      rc.reply({ type: 'Ack', ok: true, detail: { epoch: next.epoch, date: msg.date, processedThrough: next.open?.nextRow ?? null } });
      return next;
    }
    case 'EndOfData':
      if (s.open !== null) await closeDay(ctx, s);
      rc.reply({ type: 'Ack', ok: true, detail: { epoch: s.epoch, processed: s.processed.size } });
      return s;
    case 'ResumePoint':
      rc.reply({ type: 'ResumeAt', nextDate: null, processed: [...s.processed].sort(), epoch: s.epoch });
      return s;
    default:
      return s;
  }
}

/** The bible's on_bar in day-file mode: steps 2–9 of §14.1, once per date. */
async function dayFileTick(ctx: NodeContext, gate: GateHolder, s: DolphinState, date: string): Promise<Of<'Ack'>> {
  if (s.processed.has(date)) {
    s.counters.skipped += 1;
    return { type: 'Ack', ok: true, detail: { date, skipped: 'already processed' } };
  }
  const start = await dayStart(ctx, gate, s, date);
  const frame = start.posture === 'HIBERNATE' && ctx.options.hibernatePath === 'empty-day' ? emptyFrame(date) : await ctx.inputs.loadDay(date);
  const result = s.engine.processDay(frame, start.posture, start.acb);
  await finishDay(ctx, s, result);
  return { type: 'Ack', ok: true, detail: { date, trades: result.trades, capital: result.capital, bars: frame.rows } };
}

/** Streaming mode: bars go to processBar as they arrive; the day opens on its first bar. */
async function streamBatch(ctx: NodeContext, gate: GateHolder, s: DolphinState, b: Of<'BarBatch'>, env: ActorEnv): Promise<DolphinState> {
  // once per date: a processed date's bars are skipped before they can touch the open day
  if (s.processed.has(b.date)) {
    s.counters.skipped += 1;
    return s;
  }
  if (s.open !== null && b.date < s.open.date) throw new Rejected(`BarBatch ${b.date}: dates go backwards (${s.open.date} is open)`);
  if (s.open !== null && s.open.date !== b.date) await closeDay(ctx, s);
  if (s.open !== null && b.startRow < s.open.nextRow) {
    // the feed rewound into the open day (it lost an answer): re-run the date from its checkpoint
    env.log.info({ date: b.date, startRow: b.startRow, nextRow: s.open.nextRow }, 'feed rewound into the open day: restoring the checkpoint');
    const kept = { counters: { ...s.counters, rewinds: s.counters.rewinds + 1 }, epoch: s.epoch };
    s = { ...(await recover(ctx, env, gate)), ...kept };
  }
  if (s.open === null) {
    if (s.processed.has(b.date)) {
      s.counters.skipped += 1;
      return s;
    }
    const start = await dayStart(ctx, gate, s, b.date);
    if (start.posture === 'HIBERNATE' && ctx.options.hibernatePath === 'empty-day') {
      await finishDay(ctx, s, s.engine.processDay(emptyFrame(b.date), start.posture, start.acb));
      return s;
    }
    s.engine.beginDay({ date: b.date, assets: b.assets, posture: start.posture, acb: start.acb });
    s.open = { date: b.date, assets: b.assets, nextRow: b.startRow };
  } else if (!sameStrings(s.open.assets, b.assets)) {
    throw new Rejected(`BarBatch ${b.date} row ${b.startRow}: asset columns differ from the day's first bar`);
  }
  feedBars(s, b);
  return s;
}

function feedBars(s: DolphinState, b: Of<'BarBatch'>): void {
  const n = b.velDiv.length;
  const width = b.assets.length;
  const bar: BarInput = { row: 0, ts: 0, velDiv: 0, v50: 0, v750: 0, prices: b.prices };
  for (let i = 0; i < n; i++) {
    if (s.pending !== null) {
      // §14.2: applied at the start of the next bar, latest value only, exactly once
      s.engine.updateAcbBoost(s.pending.boost, s.pending.beta);
      s.pending = null;
      s.counters.acbApplied += 1;
    }
    bar.row = b.startRow + i;
    bar.ts = b.ts[i];
    bar.velDiv = b.velDiv[i];
    bar.v50 = b.v50[i];
    bar.v750 = b.v750[i];
    bar.prices = b.prices.subarray(i * width, (i + 1) * width);
    s.engine.processBar(bar);
  }
  s.counters.bars += n;
  s.open!.nextRow = b.startRow + n;
}

async function closeDay(ctx: NodeContext, s: DolphinState): Promise<void> {
  s.open = null;
  await finishDay(ctx, s, s.engine.endDay());
}

/** §14.1 steps 3 and 7: posture re-read at the date change, the day's ACB read fresh. */
async function dayStart(ctx: NodeContext, gate: GateHolder, s: DolphinState, date: string): Promise<{ posture: Posture; acb: DayStart['acb'] }> {
  if (s.pending !== null) {
    s.counters.acbSuperseded += 1; // the day's own ACB, read below, is newer than any pending event
    s.pending = null;
  }
  const [posture, acb] = await Promise.all([readPosture(ctx.store), ctx.cfg.acb.use_acb ? readDayAcb(ctx, date) : Promise.resolve(null)]);
  if (ctx.options.forewarnerGate) gate.report = await readMcReport(ctx, date);
  s.tradeMark = s.engine.trades.length;
  return { posture: posture.posture, acb };
}

/** §14.1 steps 8–9: checkpoint and trades first, then the PnL entry that marks the date processed. */
async function finishDay(ctx: NodeContext, s: DolphinState, result: DayResult): Promise<void> {
  const trades = s.engine.trades.slice(s.tradeMark);
  await writeDayResult(ctx, result, trades, encodeValue(s.engine.snapshot({ withTrades: false })));
  s.processed.add(result.date);
  s.tradeMark = s.engine.trades.length;
  s.counters.days += 1;
  s.lastResult = result;
}

function withEpoch(s: DolphinState, ack: Of<'Ack'>): Of<'Ack'> {
  return { ...ack, detail: { ...ack.detail, epoch: s.epoch } };
}

function emptyFrame(date: string): DayFrame {
  const none = new Float64Array(0);
  return { date, rows: 0, timestamps: null, velDiv: none, v50: none, v150: none, v300: none, v750: none, instability50: none, instability150: none, assets: [], prices: [] };
}

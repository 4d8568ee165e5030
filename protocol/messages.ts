// Every message of the actor tree, one discriminated union per actor (zod schemas; types inferred).
// Validation runs on receipt, so a malformed message becomes a dead letter instead of a crash.
import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const posture = z.enum(['APEX', 'STALKER', 'TURTLE', 'HIBERNATE']);
const mcStatus = z.enum(['OK', 'ORANGE', 'RED']);
const f64 = z.instanceof(Float64Array);

// ---- shared ----
export const Ack = z.object({ type: z.literal('Ack'), ok: z.boolean(), error: z.string().optional(), detail: z.record(z.string(), z.unknown()).optional() });
export const Status = z.object({ type: z.literal('Status') });
/** A barrier: answered only after everything queued before it has been handled. */
export const Barrier = z.object({ type: z.literal('Barrier') });
/** Graceful shutdown: flush durable state, then answer. */
export const Drain = z.object({ type: z.literal('Drain') });

// ---- DolphinActor (§14) ----
/** A bar with no data: day-file mode loads the date's file on the first tick of a date. */
export const Tick = z.object({ type: z.literal('Tick'), date, row: z.number().int().nonnegative(), ts: z.number() });
/** Consecutive bars of one date, columnar; one bar is a batch of one. prices is row-major rows × assets. */
export const BarBatch = z
  .object({
    type: z.literal('BarBatch'),
    date,
    assets: z.array(z.string().min(1)),
    startRow: z.number().int().nonnegative(),
    ts: f64,
    velDiv: f64,
    v50: f64,
    v750: f64,
    prices: f64,
    /** when the feed sent it (performance.now() ms), for bar-to-decision latency */
    sentAt: z.number().optional(),
  })
  .refine((b) => b.ts.length === b.velDiv.length && b.v50.length === b.velDiv.length && b.v750.length === b.velDiv.length, {
    message: 'ts, velDiv, v50 and v750 must have one entry per bar',
  })
  .refine((b) => b.prices.length === b.velDiv.length * b.assets.length, { message: 'prices must hold rows × assets values' });
/** The store's acb_boost changed (§10.5): stored as pending, applied at the start of the next bar. */
export const AcbEvent = z.object({ type: z.literal('AcbEvent'), boost: z.number().finite(), beta: z.number().finite() });
/** No more bars: close the open day (streaming mode) and write its result. */
export const EndOfData = z.object({ type: z.literal('EndOfData') });
/** Where the feed must resume after a restart: the first date not yet in the PnL map. */
export const ResumePoint = z.object({ type: z.literal('ResumePoint') });
export const DolphinMsg = z.discriminatedUnion('type', [Tick, BarBatch, AcbEvent, EndOfData, ResumePoint, Status, Barrier, Drain]);

// ---- ACBActor (§10, §16.1) ----
// a factor that could not be read is NaN (market/factors.ts), and still a valid message
const factor = z.union([z.number(), z.nan()]);
const factors = z.object({ funding_btc: factor, dvol_btc: factor, fng: factor, taker: factor });
/** factors: the day's live factors (a live feed); without them the ACB uses the run's preloaded day */
export const AcbDayStart = z.object({ type: z.literal('AcbDayStart'), date, factors: factors.optional() });
/** New factor data for a date (sub-day update): recompute and rewrite acb_boost. */
export const FactorsUpdate = z.object({ type: z.literal('FactorsUpdate'), date, factors });
export const AcbMsg = z.discriminatedUnion('type', [AcbDayStart, FactorsUpdate, Status, Barrier, Drain]);

// ---- OBStreamActor (§9, §16.2) ----
export const ObCycle = z.object({ type: z.literal('ObCycle'), now: z.number() });
export const ObMsg = z.discriminatedUnion('type', [ObCycle, Status, Barrier, Drain]);

// ---- WatchdogActor (§11, §16.3) ----
export const WatchdogCycle = z.object({ type: z.literal('WatchdogCycle'), now: z.number() });
/** Replay: the date about to start; the watchdog writes its posture before the date's first bar. */
export const WatchdogDayStart = z.object({ type: z.literal('WatchdogDayStart'), date, now: z.number() });
export const WatchdogMsg = z.discriminatedUnion('type', [WatchdogCycle, WatchdogDayStart, Status, Barrier, Drain]);

// ---- ForewarnerActor (§12, §16.4) ----
export const ForewarnerAssess = z.object({ type: z.literal('ForewarnerAssess'), date, maxLeverage: z.number().positive() });
export const ForewarnerMsg = z.discriminatedUnion('type', [ForewarnerAssess, Status, Barrier, Drain]);

// ---- ShardedFeatureActor (§15) ----
export const FeaturePut = z.object({
  type: z.literal('FeaturePut'),
  values: z.array(z.object({ symbol: z.string().min(1), feature: z.string().min(1), value: z.number() })),
});
export const FeatureGet = z.object({ type: z.literal('FeatureGet'), symbol: z.string().min(1), feature: z.string().min(1) });
export const StoreEvent = z.object({
  type: z.literal('StoreEvent'),
  map: z.string(),
  key: z.string(),
  value: z.string().nullable(),
  kind: z.enum(['added', 'updated', 'removed']),
});
/** Answered once the actor has forwarded an event carrying this value for map/key (or already has). */
export const AwaitStoreValue = z.object({ type: z.literal('AwaitStoreValue'), map: z.string().min(1), key: z.string().min(1), value: z.string() });
/** The features actor's own timer: when the store comes back, re-read what its listeners may have missed. */
export const StoreResync = z.object({ type: z.literal('StoreResync'), now: z.number() });
export const FeatureMsg = z.discriminatedUnion('type', [FeaturePut, FeatureGet, StoreEvent, AwaitStoreValue, StoreResync, Status, Barrier, Drain]);

// ---- replies ----
export const FeatureValue = z.object({ type: z.literal('FeatureValue'), value: z.number().nullable() });
/** `epoch` names Dolphin's incarnation: a different epoch in a later answer means it restarted in between. */
export const ResumeAt = z.object({ type: z.literal('ResumeAt'), nextDate: date.nullable(), processed: z.array(date), epoch: z.string().optional() });
export const ForewarnerResult = z.object({
  type: z.literal('ForewarnerResult'),
  date,
  status: mcStatus,
  catastrophicProbability: z.number(),
  envelopeScore: z.number(),
});
export const StatusReply = z.object({ type: z.literal('StatusReply'), actor: z.string(), detail: z.record(z.string(), z.unknown()) });
export const Reply = z.discriminatedUnion('type', [Ack, FeatureValue, ResumeAt, ForewarnerResult, StatusReply]);

/** Every message schema by type, for the codec's and the dead-letter log's validation. */
export const SCHEMAS = {
  Ack, Status, Barrier, Drain, Tick, BarBatch, AcbEvent, EndOfData, ResumePoint, AcbDayStart, FactorsUpdate,
  ObCycle, WatchdogCycle, WatchdogDayStart, ForewarnerAssess, FeaturePut, FeatureGet, StoreEvent, AwaitStoreValue, StoreResync,
  FeatureValue, ResumeAt, ForewarnerResult, StatusReply,
} as const;

export type MessageType = keyof typeof SCHEMAS;
export type Message = { [K in MessageType]: z.infer<(typeof SCHEMAS)[K]> }[MessageType];
export type Of<T extends MessageType> = z.infer<(typeof SCHEMAS)[T]>;

export type DolphinMessage = z.infer<typeof DolphinMsg>;
export type AcbMessage = z.infer<typeof AcbMsg>;
export type ObMessage = z.infer<typeof ObMsg>;
export type WatchdogMessage = z.infer<typeof WatchdogMsg>;
export type ForewarnerMessage = z.infer<typeof ForewarnerMsg>;
export type FeatureMessage = z.infer<typeof FeatureMsg>;
export type ReplyMessage = z.infer<typeof Reply>;
export { posture as PostureSchema, mcStatus as McStatusSchema, factors as FactorsSchema };

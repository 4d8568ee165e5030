// The JSON values of the shared maps: typed builders that print exactly what Python's json.dumps prints,
// and zod-checked parsers that name the map, key and field of anything wrong (PayloadError).
// Builders validate too: writing a NaN boost or an unknown posture is a bug to catch here, not in Python.
import { z } from 'zod';
import { McStatusSchema, PostureSchema } from '../protocol/messages.ts';
import { PayloadError } from './errors.ts';
import { ACB_BOOST_KEY, DOLPHIN_FEATURES, DOLPHIN_SAFETY, FOREWARNER_STATUS_KEY, SAFETY_LATEST_KEY } from './names.ts';
import { pyFloat, pyJsonDumps, pyJsonParse } from './py-json.ts';

export type Posture = z.infer<typeof PostureSchema>;
export type McStatus = z.infer<typeof McStatusSchema>;

/** Where a value lives; every PayloadError names it. */
export interface PayloadWhere {
  map: string;
  key: string;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const count = z.number().int().nonnegative();
/** epoch seconds (Python's time.time()) or an ISO-8601 string (datetime.isoformat()) */
const timestamp = z.union([z.number(), z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO-8601 time')]);

function check<S extends z.ZodType>(schema: S, value: unknown, where: PayloadWhere): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new PayloadError(where, issue.path.map(String).join('.'), issue.message);
}

function parseJson(json: string, where: PayloadWhere): unknown {
  if (typeof json !== 'string') throw new PayloadError(where, '', `expected a JSON string, got ${typeof json}`);
  try {
    return pyJsonParse(json);
  } catch (e) {
    throw new PayloadError(where, '', `not JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** A JSON value of the store checked against a schema; anything wrong is a PayloadError naming map, key and field. */
export function parseStoredJson<S extends z.ZodType>(schema: S, json: string, where: PayloadWhere): z.infer<S> {
  return check(schema, parseJson(json, where), where);
}

function toMs(t: number | string | undefined): number | null {
  if (t === undefined) return null;
  return typeof t === 'number' ? t * 1000 : Date.parse(t);
}

// ---- ACB boost: DOLPHIN_FEATURES['acb_boost'] = {"boost": f, "beta": f} (§10.5, §16.1) ----

export interface AcbBoost {
  boost: number;
  beta: number;
}

export const ACB_BOOST_WHERE: PayloadWhere = { map: DOLPHIN_FEATURES, key: ACB_BOOST_KEY };

const AcbBoostSchema = z.object({ boost: z.number().positive(), beta: z.number().nonnegative() });

/** `{"boost": 1.0, "beta": 0.5}` — both floats, as the ACB service writes them. */
export function acbBoostJson(v: AcbBoost, where: PayloadWhere = ACB_BOOST_WHERE): string {
  const { boost, beta } = check(AcbBoostSchema, v, where);
  return pyJsonDumps({ boost: pyFloat(boost), beta: pyFloat(beta) });
}

export function parseAcbBoost(json: string, where: PayloadWhere = ACB_BOOST_WHERE): AcbBoost {
  const { boost, beta } = check(AcbBoostSchema, parseJson(json, where), where);
  return { boost, beta };
}

// ---- day result: DOLPHIN_PNL_*[date] (§13.1, §14.5) ----

/**
 * §14.5's `{date, pnl, capital, boost, beta, mc_status, trades}` in that order, then our `posture` and
 * `bars` (a Python reader ignores extra keys). `trades` is the day's closed-trade count.
 */
export interface PnlDay {
  date: string;
  pnl: number;
  capital: number;
  boost: number;
  beta: number;
  mcStatus: McStatus;
  trades: number;
  posture: Posture;
  bars: number;
}

/** A result as read back: one written by the Python actor has no posture or bars. */
export interface PnlDayRead extends Omit<PnlDay, 'posture' | 'bars'> {
  posture: Posture | null;
  bars: number | null;
}

const PnlDayInSchema = z.object({
  date,
  pnl: z.number(),
  capital: z.number(),
  boost: z.number(),
  beta: z.number(),
  mcStatus: McStatusSchema,
  trades: count,
  posture: PostureSchema,
  bars: count,
});

const PnlDayWireSchema = z.object({
  date,
  pnl: z.number(),
  capital: z.number(),
  boost: z.number(),
  beta: z.number(),
  mc_status: McStatusSchema,
  // §14.5 does not say whether Python writes a count or the trade list; accept both, keep the count
  trades: z.union([count, z.array(z.unknown())]),
  posture: PostureSchema.optional(),
  bars: count.optional(),
});

export function pnlDayJson(r: PnlDay, map: string): string {
  const v = check(PnlDayInSchema, r, { map, key: r.date });
  return pyJsonDumps({
    date: v.date,
    pnl: pyFloat(v.pnl),
    capital: pyFloat(v.capital),
    boost: pyFloat(v.boost),
    beta: pyFloat(v.beta),
    mc_status: v.mcStatus,
    trades: v.trades,
    posture: v.posture,
    bars: v.bars,
  });
}

/** Throws PayloadError when the JSON is malformed or its date is not the key it is stored under. */
export function parsePnlDay(json: string, where: PayloadWhere): PnlDayRead {
  const v = check(PnlDayWireSchema, parseJson(json, where), where);
  if (v.date !== where.key) throw new PayloadError(where, 'date', `${JSON.stringify(v.date)} does not match its key`);
  return {
    date: v.date,
    pnl: v.pnl,
    capital: v.capital,
    boost: v.boost,
    beta: v.beta,
    mcStatus: v.mc_status,
    trades: typeof v.trades === 'number' ? v.trades : v.trades.length,
    posture: v.posture ?? null,
    bars: v.bars ?? null,
  };
}

// ---- posture: DOLPHIN_SAFETY (AtomicReference, IMap['latest']) (§11, §14.4, §16.3) ----

/**
 * The bible shows no posture JSON, only that SurvivalStack.write_to_hz() writes "posture" (§16.3) and
 * computes Rm (§11). We write `{"posture", "Rm", "breakdown"?, "timestamp"}`; the reader needs only
 * `posture` and ignores keys it does not know, so a richer Python payload still reads.
 */
export interface PosturePayload {
  posture: Posture;
  /** Rm ∈ [0, 1] (§11.1) */
  rm: number;
  /** Cat1…Cat5 of §11.2 */
  breakdown?: { cat1: number; cat2: number; cat3: number; cat4: number; cat5: number };
  /** when it was computed, epoch ms; written as epoch seconds (Python's time.time()) */
  timestampMs: number;
}

export interface PostureRead {
  posture: Posture;
  rm: number | null;
  breakdown: Record<string, number> | null;
  timestampMs: number | null;
}

export const POSTURE_ATOMIC_WHERE: PayloadWhere = { map: DOLPHIN_SAFETY, key: '(AtomicReference)' };
export const POSTURE_LATEST_WHERE: PayloadWhere = { map: DOLPHIN_SAFETY, key: SAFETY_LATEST_KEY };

const unit = z.number().min(0).max(1);
const PostureInSchema = z.object({
  posture: PostureSchema,
  rm: unit,
  breakdown: z.object({ cat1: unit, cat2: unit, cat3: unit, cat4: unit, cat5: unit }).optional(),
  timestampMs: z.number(),
});
const PostureWireSchema = z.object({
  posture: PostureSchema,
  Rm: unit.optional(),
  breakdown: z.record(z.string(), z.number()).optional(),
  timestamp: timestamp.optional(),
});

export function postureJson(p: PosturePayload, where: PayloadWhere = POSTURE_ATOMIC_WHERE): string {
  const v = check(PostureInSchema, p, where);
  const out: Record<string, ReturnType<typeof pyFloat> | string | Record<string, ReturnType<typeof pyFloat>>> = {
    posture: v.posture,
    Rm: pyFloat(v.rm),
  };
  if (v.breakdown) {
    const b = v.breakdown;
    out.breakdown = { Cat1: pyFloat(b.cat1), Cat2: pyFloat(b.cat2), Cat3: pyFloat(b.cat3), Cat4: pyFloat(b.cat4), Cat5: pyFloat(b.cat5) };
  }
  out.timestamp = pyFloat(v.timestampMs / 1000);
  return pyJsonDumps(out);
}

export function parsePosture(json: string, where: PayloadWhere): PostureRead {
  const v = check(PostureWireSchema, parseJson(json, where), where);
  return { posture: v.posture, rm: v.Rm ?? null, breakdown: v.breakdown ?? null, timestampMs: toMs(v.timestamp) };
}

// ---- MC-Forewarner status: DOLPHIN_FEATURES['mc_forewarner_status'] (§12, §16.4) ----

/** The bible names no keys; ours follow §12's mc_report fields. The timestamp feeds Cat2's staleness. */
export interface ForewarnerStatus {
  date: string;
  status: McStatus;
  catastrophicProbability: number;
  envelopeScore: number;
  /** when it was assessed, epoch ms; written as epoch seconds */
  timestampMs: number;
}

export const FOREWARNER_WHERE: PayloadWhere = { map: DOLPHIN_FEATURES, key: FOREWARNER_STATUS_KEY };

const ForewarnerInSchema = z.object({
  date,
  status: McStatusSchema,
  catastrophicProbability: unit,
  envelopeScore: z.number(),
  timestampMs: z.number(),
});
const ForewarnerWireSchema = z.object({
  date,
  status: McStatusSchema,
  catastrophic_probability: unit,
  envelope_score: z.number(),
  timestamp: timestamp,
});

export function forewarnerStatusJson(s: ForewarnerStatus, where: PayloadWhere = FOREWARNER_WHERE): string {
  const v = check(ForewarnerInSchema, s, where);
  return pyJsonDumps({
    date: v.date,
    status: v.status,
    catastrophic_probability: pyFloat(v.catastrophicProbability),
    envelope_score: pyFloat(v.envelopeScore),
    timestamp: pyFloat(v.timestampMs / 1000),
  });
}

export function parseForewarnerStatus(json: string, where: PayloadWhere = FOREWARNER_WHERE): ForewarnerStatus {
  const v = check(ForewarnerWireSchema, parseJson(json, where), where);
  return {
    date: v.date,
    status: v.status,
    catastrophicProbability: v.catastrophic_probability,
    envelopeScore: v.envelope_score,
    timestampMs: toMs(v.timestamp)!,
  };
}

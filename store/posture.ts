// Posture in the store (bible §14.4, §16.3): the CP AtomicReference DOLPHIN_SAFETY is the linearizable
// primary; IMap DOLPHIN_SAFETY['latest'] is the eventually-consistent fallback.
import { StoreUnavailableError } from './errors.ts';
import { DOLPHIN_SAFETY, SAFETY_LATEST_KEY } from './names.ts';
import {
  parsePosture,
  POSTURE_ATOMIC_WHERE,
  POSTURE_LATEST_WHERE,
  postureJson,
  type Posture,
  type PosturePayload,
  type PostureRead,
} from './payloads.ts';
import type { FeatureStore } from './port.ts';

/**
 * Posture when neither copy exists yet (the watchdog has not written). The bible names no default; the
 * champion runs APEX (§19 footer) and §16.6 starts the watchdog before the actor, so absence means
 * "not yet written", not "unsafe". An unreachable store is different: it rejects, and the caller fails closed.
 */
export const DEFAULT_POSTURE: Posture = 'APEX';

export type PostureSource = 'atomic' | 'latest' | 'default';

export interface PostureReading {
  posture: Posture;
  source: PostureSource;
  /** the parsed payload, null for the default */
  payload: PostureRead | null;
}

/**
 * Reads the AtomicReference; falls back to IMap['latest'] when it is empty or the CP subsystem is
 * unavailable; then to `fallback`. A malformed payload throws PayloadError (it is reported, not
 * skipped); an unreachable IMap rejects with StoreUnavailableError.
 */
export async function readPosture(store: FeatureStore, fallback: Posture = DEFAULT_POSTURE): Promise<PostureReading> {
  let atomic: string | null = null;
  try {
    atomic = await store.atomicRef(DOLPHIN_SAFETY).get();
  } catch (e) {
    if (!(e instanceof StoreUnavailableError)) throw e;
  }
  if (atomic !== null) {
    const payload = parsePosture(atomic, POSTURE_ATOMIC_WHERE);
    return { posture: payload.posture, source: 'atomic', payload };
  }
  const latest = await store.map(DOLPHIN_SAFETY).get(SAFETY_LATEST_KEY);
  if (latest !== null) {
    const payload = parsePosture(latest, POSTURE_LATEST_WHERE);
    return { posture: payload.posture, source: 'latest', payload };
  }
  return { posture: fallback, source: 'default', payload: null };
}

/** Writes the same JSON to both copies, the primary first. Returns the JSON written. */
export async function writePosture(store: FeatureStore, payload: PosturePayload): Promise<string> {
  const json = postureJson(payload);
  await store.atomicRef(DOLPHIN_SAFETY).set(json);
  await store.map(DOLPHIN_SAFETY).put(SAFETY_LATEST_KEY, json);
  return json;
}

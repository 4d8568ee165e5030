// hazelcast-client errors → the port's typed errors (store/errors.ts), so callers branch on our classes
// only: StoreUnavailableError = fail closed and retry later (§11.2 Cat1); StoreClosedError = we closed
// the client; LockError = FencedLock misuse; anything else is a plain StoreError that names the client's
// error class (a bug or bad data — not to be retried blindly). The client's errors all have
// `name === 'Error'`, so messages use the constructor's name.
import {
  CannotReplicateError,
  ClientNotActiveError,
  ClientOfflineError,
  CPGroupDestroyedError,
  HazelcastInstanceNotActiveError,
  IllegalMonitorStateError,
  IndeterminateOperationStateError,
  IOError,
  LeaderDemotedError,
  LockOwnershipLostError,
  NoDataMemberInClusterError,
  NotLeaderError,
  OperationTimeoutError,
  RetryableHazelcastError,
  SessionExpiredError,
  SplitBrainProtectionError,
  TargetDisconnectedError,
} from 'hazelcast-client';
import { LockError, StoreClosedError, StoreError, StoreUnavailableError } from './errors.ts';

export interface ErrorContext {
  /** what was being done, e.g. "DOLPHIN_FEATURES.get" or "lock DOLPHIN_ACB_WRITER" */
  operation: string;
  /** the client's name, for StoreClosedError */
  client: string;
  /** our close() has begun: whatever failed, the reason is that */
  closed: boolean;
  /** set for FencedLock calls: ownership errors become LockError on this lock */
  lock?: string;
}

/**
 * The cluster (or the path to it) is down, busy electing, or the call ran out of time: nothing about the
 * call itself is wrong. RetryableHazelcastError covers member-left, partition-migrating, target-not-member
 * and retryable I/O; the CP errors are leader changes and lost majorities.
 */
const UNAVAILABLE: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  ClientOfflineError,
  IOError,
  TargetDisconnectedError,
  OperationTimeoutError,
  RetryableHazelcastError,
  HazelcastInstanceNotActiveError,
  NoDataMemberInClusterError,
  IndeterminateOperationStateError,
  SplitBrainProtectionError,
  NotLeaderError,
  LeaderDemotedError,
  CannotReplicateError,
  CPGroupDestroyedError,
  SessionExpiredError,
];

/** socket errors the client may pass through unwrapped */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function className(e: unknown): string {
  if (e instanceof Error) return e.constructor?.name && e.constructor.name !== 'Error' ? e.constructor.name : e.name;
  return typeof e;
}

function describe(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return `${className(e)}: ${message}`;
}

/** The cluster says this client does not (or no longer) own the lock it tried to release or use. */
export function isLockOwnershipError(e: unknown): boolean {
  return e instanceof IllegalMonitorStateError || e instanceof LockOwnershipLostError;
}

export function translateHzError(e: unknown, ctx: ErrorContext): StoreError {
  if (e instanceof StoreError) return e;
  if (ctx.closed) return new StoreClosedError(ctx.client, ctx.operation);
  if (ctx.lock !== undefined && isLockOwnershipError(e)) {
    return new LockError(ctx.lock, `the cluster refused it: ${describe(e)}`);
  }
  if (e instanceof ClientNotActiveError) {
    // not our close(): the client shut itself down (cluster_connect_timeout_ms ran out, or it was refused)
    return new StoreUnavailableError(ctx.operation, `client ${ctx.client} is no longer active: ${describe(e)}`, { cause: e });
  }
  if (UNAVAILABLE.some((cls) => e instanceof cls)) {
    return new StoreUnavailableError(ctx.operation, describe(e), { cause: e });
  }
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) {
    return new StoreUnavailableError(ctx.operation, describe(e), { cause: e });
  }
  return new StoreError(`${ctx.operation}: hazelcast ${describe(e)}`, { cause: e });
}

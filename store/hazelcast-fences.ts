// Fences cross the port as bigint, but hazelcast-client's FencedLock.unlock() needs the very `Long` its
// lock()/tryLock() returned (the proxy tags it with the acquiring "thread id"). So each client keeps,
// per lock name, the fence it holds and its Long. One entry per name: the lock is not re-entrant.
import { StoreError } from './errors.ts';
import type { LongLike } from './hazelcast-client.ts';

export interface HeldFence {
  readonly fence: bigint;
  /** the client's Long, handed back to unlock() untouched */
  readonly token: LongLike;
}

/** A Long's value as bigint. Longs print as signed decimal; anything else is not a Long. */
export function longToBigint(long: LongLike, what: string): bigint {
  const text = long.toString(10);
  if (!/^-?\d+$/.test(text)) throw new StoreError(`${what}: expected a 64-bit integer (Long), got ${JSON.stringify(text)}`);
  return BigInt(text);
}

/** A fence as the port hands it out: positive; 0 (the client's INVALID_FENCE) means "not held". */
export function fenceOrNull(long: LongLike, what: string): bigint | null {
  const v = longToBigint(long, what);
  return v > 0n ? v : null;
}

export class FenceRegistry {
  readonly #held = new Map<string, HeldFence>();

  /** records an acquire; returns the fence to hand out */
  remember(lock: string, token: LongLike): bigint {
    const fence = fenceOrNull(token, `lock ${lock}`);
    if (fence === null) throw new StoreError(`lock ${lock}: the cluster returned an invalid fence ${token.toString(10)}`);
    this.#held.set(lock, { fence, token });
    return fence;
  }

  held(lock: string): HeldFence | undefined {
    return this.#held.get(lock);
  }

  forget(lock: string): void {
    this.#held.delete(lock);
  }

  /** the client is closing: its session, and with it every lock, goes away */
  clear(): void {
    this.#held.clear();
  }
}

// What the map, atomic-reference and lock handles of one Hazelcast client share: the client, its health,
// its fences, its cached proxies, and `call`, the one path every operation takes (closed check, error
// translation, heartbeat stamp).
import type { Logger } from 'pino';
import { StoreClosedError } from './errors.ts';
import type { HzAtomicRef, HzClient, HzLock, HzMap } from './hazelcast-client.ts';
import { translateHzError } from './hazelcast-errors.ts';
import { FenceRegistry } from './hazelcast-fences.ts';
import type { HealthTracker } from './hazelcast-health.ts';
import type { EntryEvent } from './port.ts';

export class HzContext {
  closed = false;
  readonly fences = new FenceRegistry();
  readonly #maps = new Map<string, Promise<HzMap>>();
  readonly #refs = new Map<string, Promise<HzAtomicRef>>();
  readonly #locks = new Map<string, Promise<HzLock>>();

  constructor(
    readonly client: HzClient,
    readonly health: HealthTracker,
    readonly log: Logger,
    private readonly onListenerError: (error: unknown, event: EntryEvent | null) => void,
  ) {}

  get clientName(): string {
    return this.client.name;
  }

  /**
   * Runs one operation: StoreClosedError at once when closed, the client's errors translated, the
   * heartbeat stamped on success. `lock` marks FencedLock calls (ownership errors become LockError).
   */
  async call<T>(operation: string, fn: () => Promise<T>, lock?: string): Promise<T> {
    if (this.closed) throw new StoreClosedError(this.clientName, operation);
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      throw translateHzError(e, { operation, client: this.clientName, closed: this.closed, ...(lock === undefined ? {} : { lock }) });
    }
    this.health.touch();
    return result;
  }

  // Proxies are resolved on first use and cached: Hazelcast's getters are async (and, for CP objects,
  // a round trip to the METADATA group each time). A failed resolution is not cached, so the next call
  // tries again once the cluster is back.
  map(name: string): Promise<HzMap> {
    return cached(this.#maps, name, () => this.client.getMap(name));
  }

  atomicRef(name: string): Promise<HzAtomicRef> {
    return cached(this.#refs, name, () => this.client.getAtomicReference(name));
  }

  lock(name: string): Promise<HzLock> {
    return cached(this.#locks, name, () => this.client.getLock(name));
  }

  /** A listener threw or rejected (or an event carried a non-string): reported, never propagated. */
  listenerFailed(error: unknown, event: EntryEvent | null): void {
    this.log.warn({ err: error, map: event?.map, key: event?.key }, 'store entry listener failed');
    try {
      this.onListenerError(error, event);
    } catch {
      // the hook failing must not stop delivery
    }
  }
}

function cached<T>(cache: Map<string, Promise<T>>, name: string, create: () => Promise<T>): Promise<T> {
  let p = cache.get(name);
  if (p === undefined) {
    // a synchronous throw (bad name) becomes a rejection like any other failure
    p = new Promise<T>((resolve) => resolve(create()));
    cache.set(name, p);
    p.catch(() => {
      if (cache.get(name) === p) cache.delete(name);
    });
  }
  return p;
}

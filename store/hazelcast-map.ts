// StoreMap on a Hazelcast IMap<string, string>. Values are JSON strings as the Python services write
// them (the client serializes a JS string exactly as a Java/Python String); a value of any other type
// in the map is reported as a PayloadError naming map and key, not passed on.
import { PayloadError, StoreKeyError } from './errors.ts';
import type { HzEntryEvent } from './hazelcast-client.ts';
import type { HzContext } from './hazelcast-context.ts';
import type { EntryEvent, EntryEventKind, StoreMap, Unsubscribe } from './port.ts';

export class HazelcastMap implements StoreMap {
  constructor(
    private readonly ctx: HzContext,
    readonly name: string,
  ) {}

  async get(key: string): Promise<string | null> {
    requireKey(key);
    return this.ctx.call(`${this.name}.get`, async () => this.stored(key, await (await this.proxy()).get(key)));
  }

  async put(key: string, value: string): Promise<string | null> {
    this.check(key, value);
    return this.ctx.call(`${this.name}.put`, async () => this.stored(key, await (await this.proxy()).put(key, value)));
  }

  async putIfAbsent(key: string, value: string): Promise<string | null> {
    this.check(key, value);
    return this.ctx.call(`${this.name}.putIfAbsent`, async () => this.stored(key, await (await this.proxy()).putIfAbsent(key, value)));
  }

  async delete(key: string): Promise<void> {
    requireKey(key);
    return this.ctx.call(`${this.name}.delete`, async () => (await this.proxy()).delete(key));
  }

  async keys(): Promise<string[]> {
    return this.ctx.call(`${this.name}.keys`, async () => {
      const keys = await (await this.proxy()).keySet();
      return keys.map((k) => this.storedKey(k));
    });
  }

  async entries(): Promise<Array<[string, string]>> {
    return this.ctx.call(`${this.name}.entries`, async () => {
      const entries = await (await this.proxy()).entrySet();
      return entries.map(([k, v]): [string, string] => {
        const key = this.storedKey(k);
        return [key, typeof v === 'string' ? v : this.notString(key, v)];
      });
    });
  }

  async addEntryListener(listener: (e: EntryEvent) => void, key?: string): Promise<Unsubscribe> {
    if (typeof listener !== 'function') throw new StoreKeyError('listener', String(listener), 'must be a function');
    if (key !== undefined) requireKey(key);
    const id = await this.ctx.call(`${this.name}.addEntryListener`, async () =>
      (await this.proxy()).addEntryListener(
        { added: this.deliver(listener, 'added'), updated: this.deliver(listener, 'updated'), removed: this.deliver(listener, 'removed') },
        key,
      ),
    );
    let done: Promise<void> | undefined;
    // idempotent; a failed removal can be retried; after close() the client took its registrations
    // with it, so there is nothing to undo
    return () => {
      if (this.ctx.closed) return Promise.resolve();
      done ??= this.ctx
        .call(`${this.name}.removeEntryListener`, async () => {
          await (await this.proxy()).removeEntryListener(id);
        })
        .catch((e: unknown) => {
          done = undefined;
          throw e;
        });
      return done;
    };
  }

  /**
   * The client calls this on its socket-reading path, never inside our put. Whatever the listener does
   * (throw, reject) stays here: an exception escaping into the client would break its event handling.
   */
  private deliver(listener: (e: EntryEvent) => void, kind: EntryEventKind): (e: HzEntryEvent) => void {
    return (raw) => {
      this.ctx.health.touch();
      let event: EntryEvent;
      try {
        const key = this.storedKey(raw.key);
        event = Object.freeze({
          map: this.name,
          key,
          value: kind === 'removed' ? null : this.stored(key, raw.value),
          oldValue: kind === 'added' ? null : this.stored(key, raw.oldValue),
          kind,
        });
      } catch (e) {
        this.ctx.listenerFailed(e, null);
        return;
      }
      try {
        const r: unknown = listener(event);
        if (r instanceof Promise) r.catch((e: unknown) => this.ctx.listenerFailed(e, event));
      } catch (e) {
        this.ctx.listenerFailed(e, event);
      }
    };
  }

  private proxy() {
    return this.ctx.map(this.name);
  }

  /** a value read from the map: a string, or null for none */
  private stored(key: string, v: unknown): string | null {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string') return v;
    return this.notString(key, v);
  }

  private storedKey(k: unknown): string {
    if (typeof k === 'string') return k;
    throw new PayloadError({ map: this.name, key: String(k) }, '', `expected a string key, got ${typeof k}`);
  }

  private notString(key: string, v: unknown): never {
    throw new PayloadError({ map: this.name, key }, '', `expected a string value, got ${v === null ? 'null' : typeof v}`);
  }

  private check(key: string, value: string): void {
    requireKey(key);
    if (typeof value !== 'string') throw new PayloadError({ map: this.name, key }, '', `expected a string value, got ${typeof value}`);
  }
}

export function requireKey(key: string): void {
  if (typeof key !== 'string') throw new StoreKeyError('map key', String(key), 'must be a string');
}

// AtomicRef on a CP IAtomicReference<string>. compareAndSet compares the serialized values, which for
// strings (and null) is comparing the strings — what the port promises.
import { PayloadError } from './errors.ts';
import type { HzContext } from './hazelcast-context.ts';
import type { AtomicRef } from './port.ts';

export class HazelcastAtomicRef implements AtomicRef {
  constructor(
    private readonly ctx: HzContext,
    private readonly name: string,
  ) {}

  async get(): Promise<string | null> {
    return this.ctx.call(`${this.name}.get`, async () => {
      const v = await (await this.proxy()).get();
      if (v === null || v === undefined) return null;
      if (typeof v === 'string') return v;
      throw this.payloadError(`expected a string or null, got ${typeof v}`);
    });
  }

  async set(v: string | null): Promise<void> {
    this.check(v);
    return this.ctx.call(`${this.name}.set`, async () => (await this.proxy()).set(v));
  }

  async compareAndSet(expect: string | null, update: string | null): Promise<boolean> {
    this.check(expect);
    this.check(update);
    return this.ctx.call(`${this.name}.compareAndSet`, async () => (await this.proxy()).compareAndSet(expect, update));
  }

  private proxy() {
    return this.ctx.atomicRef(this.name);
  }

  private check(v: string | null): void {
    if (v !== null && typeof v !== 'string') throw this.payloadError(`expected a string or null, got ${typeof v}`);
  }

  private payloadError(detail: string): PayloadError {
    return new PayloadError({ map: this.name, key: '(AtomicReference)' }, '', detail);
  }
}

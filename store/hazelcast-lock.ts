// FencedLock on a CP FencedLock. The client's own rules differ from the port's in three places, each
// bridged here:
// - unlock(fence) takes the client's Long, not a number: the FenceRegistry keeps the Long per fence.
// - the client is not re-entrant but does not refuse a second acquire either (each lock() is a new
//   "thread" of the same session, so it would wait on itself forever): we refuse it with LockError when
//   the cluster says this client's fence still holds the lock.
// - there is no public fence getter: currentFence() reads the ownership state isLocked() reads.
// Misuse we can see locally (wrong fence, not the holder) is refused before any round trip.
import { LockError } from './errors.ts';
import type { HzLock } from './hazelcast-client.ts';
import type { HzContext } from './hazelcast-context.ts';
import { isLockOwnershipError } from './hazelcast-errors.ts';
import { fenceOrNull } from './hazelcast-fences.ts';
import type { FencedLock } from './port.ts';

export class HazelcastLock implements FencedLock {
  constructor(
    private readonly ctx: HzContext,
    private readonly name: string,
  ) {}

  async lock(): Promise<bigint> {
    return this.ctx.call(
      `lock ${this.name}`,
      async () => {
        const hz = await this.proxy();
        await this.refuseReentry(hz);
        return this.ctx.fences.remember(this.name, await hz.lock());
      },
      this.name,
    );
  }

  async tryLock(timeoutMs = 0): Promise<bigint | null> {
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) throw new LockError(this.name, `tryLock timeout ${String(timeoutMs)} ms must be ≥ 0`);
    return this.ctx.call(
      `tryLock ${this.name}`,
      async () => {
        const hz = await this.proxy();
        await this.refuseReentry(hz);
        const token = await hz.tryLock(timeoutMs);
        return token === undefined ? null : this.ctx.fences.remember(this.name, token);
      },
      this.name,
    );
  }

  async unlock(fence: bigint): Promise<void> {
    if (typeof fence !== 'bigint') throw new LockError(this.name, `unlock fence must be a bigint, got ${typeof fence}`);
    return this.ctx.call(
      `unlock ${this.name}`,
      async () => {
        const held = this.ctx.fences.held(this.name);
        if (held === undefined) throw new LockError(this.name, `unlock by ${this.ctx.clientName}, which does not hold it`);
        if (held.fence !== fence) throw new LockError(this.name, `unlock with fence ${fence}, the fence ${this.ctx.clientName} holds is ${held.fence}`);
        const hz = await this.proxy();
        try {
          await hz.unlock(held.token);
        } catch (e) {
          // unlock refused by the cluster (session expired, lock lost): the fence is no longer ours;
          // a network failure leaves it in place, to be retried
          if (isLockOwnershipError(e)) this.ctx.fences.forget(this.name);
          throw e;
        }
        this.ctx.fences.forget(this.name);
      },
      this.name,
    );
  }

  async isLocked(): Promise<boolean> {
    return this.ctx.call(`isLocked ${this.name}`, async () => (await this.proxy()).isLocked(), this.name);
  }

  async currentFence(): Promise<bigint | null> {
    return this.ctx.call(
      `currentFence ${this.name}`,
      async () => fenceOrNull(await (await this.proxy()).ownershipFence(), `lock ${this.name}`),
      this.name,
    );
  }

  /**
   * LockError when this client still holds the lock. A remembered fence the cluster no longer shows
   * (our CP session expired and the lock moved on) is dropped, and the acquire goes ahead.
   */
  private async refuseReentry(hz: HzLock): Promise<void> {
    const held = this.ctx.fences.held(this.name);
    if (held === undefined) return;
    const current = fenceOrNull(await hz.ownershipFence(), `lock ${this.name}`);
    if (current === held.fence) throw new LockError(this.name, `already held by ${this.ctx.clientName} under fence ${held.fence} (the lock is not re-entrant)`);
    this.ctx.fences.forget(this.name);
  }

  private proxy() {
    return this.ctx.lock(this.name);
  }
}

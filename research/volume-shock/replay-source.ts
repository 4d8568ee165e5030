// Replays recorded or simulated chain updates one per poll, each with the underlying observation at
// its time (the latest at or before it): the live path (LiveTrader, the actor) on known data.
import type { ChainUpdate, UnderlyingTick } from './types.ts';

export class ReplayExhausted extends Error {
  override readonly name = 'ReplayExhausted';
}

export class ReplaySource {
  readonly name = 'replay';
  private i = 0;
  private j = 0;

  constructor(private readonly updates: readonly ChainUpdate[], private readonly ticks: readonly UnderlyingTick[]) {
    if (ticks.length === 0) throw new RangeError('replay needs at least one underlying observation');
  }

  get remaining(): number {
    return this.updates.length - this.i;
  }

  /** The next update and its observation; `now` is ignored (the data's own clock rules). */
  async poll(_now: number): Promise<{ update: ChainUpdate; tick: UnderlyingTick }> {
    if (this.i >= this.updates.length) throw new ReplayExhausted(`replay: all ${this.updates.length} updates were handed out`);
    const update = this.updates[this.i++];
    while (this.j + 1 < this.ticks.length && this.ticks[this.j + 1].time <= update.time) this.j += 1;
    return { update, tick: this.ticks[this.j] };
  }
}

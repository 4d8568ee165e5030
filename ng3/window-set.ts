// A ring of returns shared by a set of windows: the unit of work both the kernel (all windows) and a
// pool task (some windows) run. A window's results depend only on the closes, its own length and the
// options, never on which other windows share the set: that is what makes the pool's output
// bit-identical to the single-thread kernel's whatever the split.
import type { ResolvedNg3Options } from './options.ts';
import { ReturnRing } from './returns.ts';
import { WindowTrack } from './window-track.ts';

export class WindowSet {
  readonly ring: ReturnRing;
  readonly tracks: WindowTrack[];
  readonly #every: number;

  constructor(o: ResolvedNg3Options, windows: readonly number[]) {
    this.ring = new ReturnRing(o.assets, Math.max(...windows));
    this.tracks = windows.map((w) => new WindowTrack(w, o));
    this.#every = o.recomputeEvery;
  }

  /** Takes one bar of closes and advances every window (none on the very first bar: no return yet). */
  push(closes: ArrayLike<number>): void {
    if (!this.ring.push(closes)) return;
    const k = this.ring.count - 1;
    // the exact-recompute schedule is a function of k alone, the same in every process and thread
    const exact = this.#every > 0 && k > 0 && k % this.#every === 0;
    const tracks = this.tracks;
    for (let i = 0; i < tracks.length; i++) tracks[i].step(this.ring, k, exact);
  }
}

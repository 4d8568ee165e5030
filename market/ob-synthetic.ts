// A seeded, stateless order-book provider: every value is a hash of (seed, asset, bar), so runs are
// reproducible and any bar can be asked in any order. Stands in for real books (exchange feeds come
// later) in tests and benchmarks that need the OB layers (bible §9) switched on.
import type { ObMacro, ObPlacement, ObProvider, ObSignal } from '../engine/ob.ts';

function mix(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(c, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

export interface SyntheticObOptions {
  seed: number;
  /** share of bars whose macro regime is withdrawal stress (+1); as many are calm (−1) */
  stressRate?: number;
  /** share of bars with a liquidation cascade somewhere */
  cascadeRate?: number;
}

export class SyntheticObProvider implements ObProvider {
  private readonly ids = new Map<string, number>();
  private readonly stressRate: number;
  private readonly cascadeRate: number;

  constructor(private readonly o: SyntheticObOptions) {
    this.stressRate = o.stressRate ?? 0.05;
    this.cascadeRate = o.cascadeRate ?? 0.02;
  }

  signal(asset: string, barIdx: number): ObSignal {
    const id = this.id(asset);
    return {
      imbalanceMa5: mix(this.o.seed, id, barIdx * 3) * 2 - 1,
      persistence: mix(this.o.seed, id, barIdx * 3 + 1),
      withdrawalVelocity: mix(this.o.seed, id, barIdx * 3 + 2) * 0.6 - 0.3,
    };
  }

  placement(asset: string, barIdx: number): ObPlacement {
    const id = this.id(asset) + 100_003;
    return {
      depthQuality: mix(this.o.seed, id, barIdx * 2) * 2,
      fillProbability: mix(this.o.seed, id, barIdx * 2 + 1),
    };
  }

  macro(barIdx: number): ObMacro {
    const u = mix(this.o.seed, -1, barIdx);
    const regimeSignal = u < this.stressRate ? 1 : u > 1 - this.stressRate ? -1 : 0;
    const cascadeCount = mix(this.o.seed, -2, barIdx) < this.cascadeRate ? 1 : 0;
    return { cascadeCount, regimeSignal };
  }

  marketMultiplier(direction: -1 | 1, barIdx: number): number {
    const imb = (mix(this.o.seed, -3, barIdx) * 2 - 1) * 0.3 * direction;
    return Math.min(1.2, Math.max(0.85, 1 + imb));
  }

  private id(asset: string): number {
    let id = this.ids.get(asset);
    if (id === undefined) {
      id = 0;
      for (let i = 0; i < asset.length; i++) id = Math.imul(id, 31) + asset.charCodeAt(i);
      this.ids.set(asset, id);
    }
    return id;
  }
}

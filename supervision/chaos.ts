// Failure injection: every interval, with probability `rate`, one actor (chosen by a seeded PRNG) is
// killed or made to throw in its next handler. The supervisor's policy must bring it back; the tests
// then check the bible's invariants held. Seeded, so a failing drill can be re-run.
import type { Logger } from 'pino';
import { Prng } from '../market/prng.ts';
import type { Supervisor } from './supervisor.ts';

export interface ChaosOptions {
  rate: number;
  intervalMs: number;
  seed: number;
  /** mixed = kill or throw; any = kill, throw or delay */
  mode: 'kill' | 'throw' | 'delay' | 'mixed' | 'any';
  /** a delay strike holds the actor's next handler for up to this long */
  delayMaxMs?: number;
  actors: readonly string[];
  /** random: a seeded draw per strike; round-robin: the next running actor in turn (even counts) */
  pick?: 'random' | 'round-robin';
}

export interface ChaosCounts {
  kills: number;
  throws: number;
  delays: number;
}

export type ChaosAction = 'kill' | 'throw' | 'delay';

export class Chaos {
  readonly counts = new Map<string, ChaosCounts>();
  private timer: NodeJS.Timeout | null = null;
  private readonly random: () => number;
  private turn = 0;

  constructor(
    private readonly tree: Supervisor,
    private readonly o: ChaosOptions,
    private readonly log: Logger,
  ) {
    const prng = new Prng(o.seed);
    this.random = () => prng.next();
    for (const a of o.actors) this.counts.set(a, { kills: 0, throws: 0, delays: 0 });
  }

  start(): void {
    if (this.timer !== null || this.o.rate <= 0 || this.o.actors.length === 0) return;
    this.timer = setInterval(() => {
      if (this.random() < this.o.rate) this.strike();
    }, this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One strike at a random running actor; returns what it did, or null when the chosen one was down. */
  strike(): { actor: string; action: ChaosAction } | null {
    const actor = this.pick();
    if (actor === null) return null;
    const action = this.action();
    const c = this.counts.get(actor)!;
    if (action === 'kill') {
      this.tree.kill(actor, 'chaos: killed');
      c.kills += 1;
    } else if (action === 'throw') {
      this.tree.throwInNextHandler(actor);
      c.throws += 1;
    } else {
      this.tree.delayNextHandler(actor, 1 + Math.floor(this.random() * (this.o.delayMaxMs ?? 20)));
      c.delays += 1;
    }
    this.log.debug({ actor, action }, 'chaos strike');
    return { actor, action };
  }

  private action(): ChaosAction {
    switch (this.o.mode) {
      case 'mixed':
        return this.random() < 0.5 ? 'kill' : 'throw';
      case 'any': {
        const u = this.random();
        return u < 1 / 3 ? 'kill' : u < 2 / 3 ? 'throw' : 'delay';
      }
      default:
        return this.o.mode;
    }
  }

  private pick(): string | null {
    const names = this.o.actors;
    if (this.o.pick !== 'round-robin') {
      const actor = names[Math.floor(this.random() * names.length)];
      return this.tree.get(actor).running ? actor : null;
    }
    for (let i = 0; i < names.length; i++) {
      const actor = names[this.turn % names.length];
      if (this.tree.get(actor).running) {
        this.turn += 1;
        return actor;
      }
      this.turn += 1;
    }
    return null;
  }

  summary(): Record<string, ChaosCounts> {
    return Object.fromEntries(this.counts);
  }
}

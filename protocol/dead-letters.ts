// The dead-letter log: every message that could not be delivered or was refused, with its reason.
// Logged through pino and kept in a bounded ring for /health and the tests.
import type { Logger } from 'pino';

export interface DeadLetter {
  at: number;
  to: string;
  reason: string;
  type?: string;
  id?: string;
}

export class DeadLetterLog {
  private readonly ring: DeadLetter[] = [];
  private total = 0;
  private readonly byReason = new Map<string, number>();

  constructor(
    private readonly log: Logger | null = null,
    private readonly capacity = 1000,
  ) {}

  record(to: string, reason: string, msg?: unknown): void {
    const m = msg as { type?: unknown; id?: unknown } | undefined;
    const d: DeadLetter = { at: Date.now(), to, reason };
    if (typeof m?.type === 'string') d.type = m.type;
    if (typeof m?.id === 'string') d.id = m.id;
    this.total += 1;
    const kind = reason.split(':')[0];
    this.byReason.set(kind, (this.byReason.get(kind) ?? 0) + 1);
    this.ring.push(d);
    if (this.ring.length > this.capacity) this.ring.shift();
    this.log?.warn({ deadLetter: d }, 'dead letter');
  }

  get count(): number {
    return this.total;
  }

  recent(n = 20): DeadLetter[] {
    return n > 0 ? this.ring.slice(-n) : []; // slice(-0) would be the whole ring
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.byReason);
  }
}

// The live feed's bars in the store until Dolphin commits their date: a stopped and restarted node
// (or another node taking over) re-sends them, so stopping `dolphin paper` mid-day loses nothing.
// One entry per bar, key `<date>#<row>` (row zero-padded, so keys sort in bar order), value base64
// msgpack; a committed date's entries are deleted.
import type { StoreMap } from '../store/port.ts';
import { decodeValue, encodeValue } from './checkpoint.ts';
import type { SignalBar } from './live-feed.ts';

interface StoredBar {
  ts: number;
  assets: string[];
  prices: Float64Array;
  velDiv: number;
  v50: number;
  v750: number;
}

const keyOf = (date: string, row: number) => `${date}#${String(row).padStart(6, '0')}`;

export class LiveJournal {
  constructor(private readonly map: StoreMap) {}

  async append(bar: SignalBar, row: number): Promise<void> {
    const v: StoredBar = { ts: bar.ts, assets: [...bar.assets], prices: bar.prices, velDiv: bar.velDiv, v50: bar.v50, v750: bar.v750 };
    await this.map.put(keyOf(bar.date, row), encodeValue(v));
  }

  /** Every journaled bar of the dates not in `committed`, by date then row. */
  async load(committed: ReadonlySet<string>): Promise<SignalBar[]> {
    const entries = (await this.map.entries()).filter(([k]) => !committed.has(k.slice(0, 10))).sort(([a], [b]) => (a < b ? -1 : 1));
    return entries.map(([k, text]) => {
      const v = decodeValue<StoredBar>(text, `${this.map.name}[${k}]`);
      return { date: k.slice(0, 10), ts: v.ts, assets: v.assets, prices: v.prices, velDiv: v.velDiv, v50: v.v50, v750: v.v750 };
    });
  }

  /** The date is in the PnL map: its bars are no longer needed. */
  async drop(date: string): Promise<void> {
    for (const k of await this.map.keys()) if (k.startsWith(`${date}#`)) await this.map.delete(k);
  }
}

// Drawdown of the latest capital from its running peak, from the PnL map (§11.2's drawdown sensor).
// The watchdog reads it every cycle for the life of the node; each entry is parsed once.
import { parsePnlDay } from '../store/payloads.ts';
import { ParsedEntries } from './entry-cache.ts';

export class PnlDrawdown {
  private readonly capitals: ParsedEntries<number>;

  constructor(
    mapName: string,
    private readonly initialCapital: number,
  ) {
    this.capitals = new ParsedEntries((key, json) => parsePnlDay(json, { map: mapName, key }).capital);
  }

  /** The drawdown after the map's entries (date → result JSON), initial capital counted as a peak. */
  update(entries: ReadonlyArray<readonly [string, string]>): number {
    let peak = this.initialCapital;
    let last = this.initialCapital;
    for (const [, capital] of this.capitals.update(entries)) {
      last = capital;
      if (last > peak) peak = last;
    }
    return peak > 0 ? Math.max(0, 1 - last / peak) : 0;
  }
}

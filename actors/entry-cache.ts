// A map's entries parsed once: long-lived readers (the watchdog's drawdown, the forewarner's trade
// history) read a whole map every cycle, and re-parsing every entry each time grew with every day the
// node ran. An entry is parsed again only when its text changes.

export class ParsedEntries<T> {
  private readonly parsed = new Map<string, { text: string; value: T }>();
  private sorted: string[] = [];

  constructor(private readonly parse: (key: string, text: string) => T) {}

  /** The entries' parsed values in key order (dates sort by string). */
  update(entries: ReadonlyArray<readonly [string, string]>): Array<[string, T]> {
    let keysChanged = entries.length !== this.parsed.size;
    const seen = new Set<string>();
    for (const [key, text] of entries) {
      seen.add(key);
      const cached = this.parsed.get(key);
      if (cached?.text === text) continue;
      if (cached === undefined) keysChanged = true;
      this.parsed.set(key, { text, value: this.parse(key, text) });
    }
    if (keysChanged) {
      for (const key of this.parsed.keys()) if (!seen.has(key)) this.parsed.delete(key);
      this.sorted = [...this.parsed.keys()].sort();
    }
    return this.sorted.map((key) => [key, this.parsed.get(key)!.value]);
  }
}

// At most `limit` requests in flight per cycle: ccxt's throttle spaces requests out, but a 400-symbol
// universe would otherwise open 400 sockets at once and queue them all inside the throttle.

/** Runs `fn` over `items` with at most `limit` calls pending. `fn` must not reject (callers catch per item). */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`concurrency must be an integer >= 1, got ${limit}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

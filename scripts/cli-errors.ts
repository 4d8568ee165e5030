// Turns known input errors into one clear line and exit code 2; anything else is a bug (exit 1).
import { ConfigError } from '../config/config-error.ts';
import { DataError } from '../market/errors.ts';

/** A flag with a bad value. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function isInputError(err: unknown): err is Error {
  return err instanceof DataError || err instanceof ConfigError || err instanceof UsageError;
}

/** Wraps a command action so bad input prints its message and sets exit code 2. */
export function guarded<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (err) {
      if (isInputError(err)) {
        console.error(`dolphin: ${err.message}`);
        process.exitCode = 2;
        return;
      }
      throw err;
    }
  };
}

/** `--port N|none`: a TCP port (0 = any free one) or null for no HTTP server. */
export function parsePortFlag(text: string): number | null {
  if (text === 'none') return null;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n <= 65535)) throw new UsageError(`--port must be an integer in 0…65535 or "none", got "${text}"`);
  return n;
}

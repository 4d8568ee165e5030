// Typed errors of the NG3 pipeline. Both extend RangeError: a bad option or a malformed bar is a value
// outside what the kernel accepts, and callers elsewhere in the project already match on RangeError.

/** An option of Ng3Kernel / computeColumns / Ng3Pool is missing or out of range. */
export class Ng3OptionsError extends RangeError {
  override readonly name = 'Ng3OptionsError';
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`ng3 option ${option}: ${detail}`);
  }
}

/** Input data has the wrong shape (e.g. a bar with the wrong number of closes). */
export class Ng3InputError extends RangeError {
  override readonly name = 'Ng3InputError';
  constructor(detail: string) {
    super(`ng3 input: ${detail}`);
  }
}

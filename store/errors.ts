// Typed store errors. Callers branch on the class: StoreUnavailableError means "fail closed"
// (bible §11.2 Cat1), the others are bugs or bad data that must be reported, never retried blindly.

export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** The cluster cannot be reached (network, dead node, CP subsystem down). Safe to retry later. */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  readonly operation: string;

  constructor(operation: string, reason: string, options?: { cause?: unknown }) {
    super(`${operation}: store unavailable (${reason})`, options);
    this.operation = operation;
  }
}

/** The client was closed by its owner; using it afterwards is a programming error. */
export class StoreClosedError extends StoreError {
  override readonly name = 'StoreClosedError';
  readonly client: string;

  constructor(client: string, operation: string) {
    super(`${operation}: client ${client} is closed`);
    this.client = client;
  }
}

/** A FencedLock was misused: unlock by a non-holder or with a stale fence, or a re-entrant acquire. */
export class LockError extends StoreError {
  override readonly name = 'LockError';
  readonly lock: string;

  constructor(lock: string, detail: string) {
    super(`lock ${lock}: ${detail}`);
    this.lock = lock;
  }
}

/** A persisted snapshot file cannot be read back. */
export class SnapshotError extends StoreError {
  override readonly name = 'SnapshotError';
  readonly path: string;

  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(`${path}: ${detail}`, options);
    this.path = path;
  }
}

/** A value in the store is not the JSON its reader expects; names where it was and what was wrong. */
export class PayloadError extends StoreError {
  override readonly name = 'PayloadError';
  readonly map: string;
  readonly key: string;
  /** dotted path inside the JSON value, "" for the value itself */
  readonly field: string;
  readonly detail: string;

  constructor(where: { map: string; key: string }, field: string, detail: string, options?: { cause?: unknown }) {
    super(`${where.map}[${JSON.stringify(where.key)}]${field === '' ? '' : ` field ${field}`}: ${detail}`, options);
    this.map = where.map;
    this.key = where.key;
    this.field = field;
    this.detail = detail;
  }
}

/** A map key part (symbol, feature, strategy colour…) that cannot form a valid name or key. */
export class StoreKeyError extends StoreError {
  override readonly name = 'StoreKeyError';
  readonly what: string;
  readonly value: string;

  constructor(what: string, value: string, detail: string) {
    super(`${what} ${JSON.stringify(value)}: ${detail}`);
    this.what = what;
    this.value = value;
  }
}

/** A value that Python's json.dumps would not produce (or could not be given), with where it sits. */
export class JsonEncodeError extends StoreError {
  override readonly name = 'JsonEncodeError';
  /** JSON-pointer-like path to the bad value, "" for the root */
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`${path === '' ? 'value' : `value at ${path}`}: ${detail}`);
    this.path = path;
  }
}

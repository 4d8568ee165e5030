// Typed failures of the tree, each naming the actor concerned.

export class ActorUnavailableError extends Error {
  constructor(
    readonly actor: string,
    readonly why: string,
  ) {
    super(`${actor} is unavailable: ${why}`);
    this.name = 'ActorUnavailableError';
  }
}

export class AskTimeoutError extends Error {
  constructor(
    readonly actor: string,
    readonly type: string,
    readonly timeoutMs: number,
  ) {
    super(`${actor} did not answer ${type} within ${timeoutMs} ms`);
    this.name = 'AskTimeoutError';
  }
}

/** The actor failed more often than its policy allows: the failure goes up the tree. */
export class EscalationError extends Error {
  constructor(
    readonly actor: string,
    readonly restarts: number,
    readonly withinMs: number,
    readonly lastError: string,
  ) {
    super(`${actor} failed ${restarts} times within ${withinMs} ms (last: ${lastError}); escalating`);
    this.name = 'EscalationError';
  }
}

/** Thrown inside a handler by the chaos injector. */
export class ChaosError extends Error {
  constructor(readonly actor: string) {
    super(`chaos: injected failure in ${actor}`);
    this.name = 'ChaosError';
  }
}

/** A handler refusing one message (bad data, impossible request): a dead letter, not a crash. */
export class Rejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Rejected';
  }
}

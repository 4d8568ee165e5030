// What health() reports, kept up to date by events so health() itself never touches the network (the
// watchdog samples it every cycle and must not block on a dead cluster).
// - connected: the client's lifecycle — CONNECTED sets it, DISCONNECTED / SHUTTING_DOWN / SHUTDOWN clear it.
// - lastContactMs: the last successful operation, entry event, membership or lifecycle event. A
//   DISCONNECTED event counts too: it is when contact was lost, as the embedded store reports it.
// - heartbeatMs(): lastContactMs, except that while connected it is never older than the client's own
//   liveness bound. The client pings an idle connection every heartbeat interval and closes it when
//   nothing was read for the heartbeat timeout (checked once per interval), so a connection it still
//   holds was read from within timeout + interval. Without this an idle but healthy node would look
//   stale to the watchdog (§11.2 Cat1: heartbeat older than 30 s → HIBERNATE).
// The client is created with the tracker's listeners in its config, so the first CONNECTED is not missed.
import { LifecycleState } from 'hazelcast-client';

export interface HealthTrackerOptions {
  /** ms clock; Date.now by default */
  clock?: () => number;
  /** heartbeat timeout + heartbeat interval of the client; undefined = no bound (lastContactMs only) */
  livenessBoundMs?: number;
}

export class HealthTracker {
  #connected = false;
  #closed = false;
  #lastContactMs: number;
  #waiters = new Set<() => void>();

  private readonly clock: () => number;
  private readonly livenessBoundMs: number | undefined;

  constructor(options: HealthTrackerOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.livenessBoundMs = options.livenessBoundMs;
    this.#lastContactMs = this.clock();
  }

  get connected(): boolean {
    return this.#connected && !this.#closed;
  }

  get lastContactMs(): number {
    return this.#lastContactMs;
  }

  /** what health() reports as lastHeartbeatMs (see the file comment) */
  heartbeatMs(): number {
    if (!this.connected || this.livenessBoundMs === undefined) return this.#lastContactMs;
    return Math.max(this.#lastContactMs, this.clock() - this.livenessBoundMs);
  }

  /** a lifecycle listener for the client config */
  onLifecycle(state: LifecycleState | string): void {
    this.touch();
    if (state === LifecycleState.CONNECTED) {
      this.#connected = true;
      for (const wake of [...this.#waiters]) wake();
    } else if (state === LifecycleState.DISCONNECTED || state === LifecycleState.SHUTTING_DOWN || state === LifecycleState.SHUTDOWN) {
      this.#connected = false;
    }
  }

  /** a member joined or left: the cluster talked to us */
  onMembership(): void {
    this.touch();
  }

  /** an operation succeeded or an entry event arrived */
  touch(): void {
    this.#lastContactMs = this.clock();
  }

  /** our close() began: never connected again, and nobody waits for it */
  markClosed(): void {
    this.#closed = true;
    this.#connected = false;
    for (const wake of [...this.#waiters]) wake();
  }

  /** resolves true once connected, false when timeoutMs passes first or the store is closed */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve(this.connected);
      };
      const timer = setTimeout(wake, timeoutMs);
      this.#waiters.add(wake);
    });
  }
}

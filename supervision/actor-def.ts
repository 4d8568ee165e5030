// What an actor is to the supervisor: a schema of what it accepts, how it recovers its state from
// durable storage, and how it handles one message. The supervisor turns this into a nact actor.
import type { Logger } from 'pino';
import type { ZodType } from 'zod';
import type { DeadLetterLog } from '../protocol/dead-letters.ts';
import type { Envelope } from '../protocol/envelope.ts';
import type { ReplyMessage } from '../protocol/messages.ts';
import type { ActorHandle } from './handle.ts';
import type { RestartPolicy } from './policy.ts';

export interface Directory {
  /** the stable handle of a sibling, whatever incarnation of it is running */
  get(name: string): ActorHandle;
}

export interface ActorEnv {
  readonly name: string;
  readonly log: Logger;
  readonly self: ActorHandle;
  readonly tree: Directory;
  readonly deadLetters: DeadLetterLog;
  /** registers cleanup (listeners, timers, connections) run when this incarnation stops for any reason */
  own(dispose: () => void | Promise<void>): void;
}

export interface ReceiveContext<B extends { type: string }> {
  env: ActorEnv;
  envelope: Envelope<B>;
  /** answers an ask; a no-op for a plain send */
  reply(body: ReplyMessage): void;
}

export interface ActorDef<S, B extends { type: string }> {
  name: string;
  schema: ZodType<B>;
  /** builds the state of a new incarnation from durable state (never from the lost mailbox) */
  init(env: ActorEnv): Promise<S> | S;
  receive(state: S, msg: B, ctx: ReceiveContext<B>): Promise<S> | S;
  /** graceful shutdown: flush what must not be lost */
  drain?(state: S, env: ActorEnv): Promise<S> | S;
  /** what /health shows of this actor */
  status?(state: S): Record<string, unknown>;
  /** periodic self-messages while running (the OB 500 ms cycle, the watchdog cycle) */
  timers?: ReadonlyArray<{ everyMs: number; message: (now: number) => B }>;
  policy?: Partial<RestartPolicy>;
}

// Erased form the supervisor stores; each def is type-checked where it is written.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyActorDef = ActorDef<any, any>;

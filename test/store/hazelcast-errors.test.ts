// translateHzError on the client's own error classes (constructed here; no member involved).
import test from 'ava';
import {
  ClientNotActiveError,
  ClientOfflineError,
  HazelcastInstanceNotActiveError,
  HazelcastSerializationError,
  IllegalMonitorStateError,
  IOError,
  LockOwnershipLostError,
  MemberLeftError,
  NotLeaderError,
  OperationTimeoutError,
  SessionExpiredError,
  TargetDisconnectedError,
  TargetNotMemberError,
} from 'hazelcast-client';
import { LockError, StoreClosedError, StoreError, StoreUnavailableError } from '../../store/errors.ts';
import { translateHzError, type ErrorContext } from '../../store/hazelcast-errors.ts';

const ctx: ErrorContext = { operation: 'DOLPHIN_FEATURES.get', client: 'hz.client_1', closed: false };
const lockCtx: ErrorContext = { operation: 'unlock DOLPHIN_ACB_WRITER', client: 'hz.client_1', closed: false, lock: 'DOLPHIN_ACB_WRITER' };

const unavailable: Array<[string, Error]> = [
  ['ClientOfflineError', new ClientOfflineError()],
  ['IOError', new IOError('No connection found to cluster.')],
  ['TargetDisconnectedError', new TargetDisconnectedError('connection closed')],
  ['OperationTimeoutError', new OperationTimeoutError('Invocation 42 reached its deadline.')],
  ['MemberLeftError', new MemberLeftError('member left')],
  ['TargetNotMemberError', new TargetNotMemberError('not a member')],
  ['HazelcastInstanceNotActiveError', new HazelcastInstanceNotActiveError('member shutting down')],
  ['NotLeaderError', new NotLeaderError('raft leader changed')],
  ['SessionExpiredError', new SessionExpiredError('session gone')],
];
for (const [cls, error] of unavailable) {
  test(`${cls} becomes StoreUnavailableError naming the operation and the client's error class`, (t) => {
    const e = translateHzError(error, ctx);
    t.true(e instanceof StoreUnavailableError);
    t.is((e as StoreUnavailableError).operation, 'DOLPHIN_FEATURES.get');
    t.regex(e.message, new RegExp(`^DOLPHIN_FEATURES\\.get: store unavailable \\(${cls}: `));
    t.is(e.cause, error);
  });
}

test('a socket error with a network code (ECONNREFUSED) becomes StoreUnavailableError', (t) => {
  const sock = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5701'), { code: 'ECONNREFUSED' });
  t.true(translateHzError(sock, ctx) instanceof StoreUnavailableError);
});

test('ClientNotActiveError after our close() becomes StoreClosedError', (t) => {
  const e = translateHzError(new ClientNotActiveError('Client is shutting down.'), { ...ctx, closed: true });
  t.true(e instanceof StoreClosedError);
  t.is(e.message, 'DOLPHIN_FEATURES.get: client hz.client_1 is closed');
});

test('ClientNotActiveError without our close() (the client gave up on the cluster) becomes StoreUnavailableError', (t) => {
  const e = translateHzError(new ClientNotActiveError('Client is not active.'), ctx);
  t.true(e instanceof StoreUnavailableError);
  t.regex(e.message, /client hz\.client_1 is no longer active/);
});

test('any error once closed is StoreClosedError, even a network one', (t) => {
  t.true(translateHzError(new TargetDisconnectedError('gone'), { ...ctx, closed: true }) instanceof StoreClosedError);
});

test('IllegalMonitorStateError in a lock call becomes LockError on that lock', (t) => {
  const e = translateHzError(new IllegalMonitorStateError('Current thread is not owner of the lock!'), lockCtx);
  t.true(e instanceof LockError);
  t.is((e as LockError).lock, 'DOLPHIN_ACB_WRITER');
  t.is(e.message, 'lock DOLPHIN_ACB_WRITER: the cluster refused it: IllegalMonitorStateError: Current thread is not owner of the lock!');
});

test('LockOwnershipLostError in a lock call becomes LockError', (t) => {
  t.true(translateHzError(new LockOwnershipLostError('session closed by server'), lockCtx) instanceof LockError);
});

test('a lock-ownership error outside a lock call is a plain StoreError, not a LockError', (t) => {
  const e = translateHzError(new IllegalMonitorStateError('unexpected'), ctx);
  t.is(e.constructor, StoreError);
});

test('an error that is neither network nor lock misuse is a plain StoreError naming the class, with its cause', (t) => {
  const cause = new HazelcastSerializationError('There is no suitable de-serializer for type 1234');
  const e = translateHzError(cause, ctx);
  t.is(e.constructor, StoreError);
  t.is(e.message, 'DOLPHIN_FEATURES.get: hazelcast HazelcastSerializationError: There is no suitable de-serializer for type 1234');
  t.is(e.cause, cause);
});

test('a StoreError (ours, e.g. a LockError raised before the round trip) passes through unchanged', (t) => {
  const ours = new LockError('L', 'not the holder');
  t.is(translateHzError(ours, lockCtx), ours);
});

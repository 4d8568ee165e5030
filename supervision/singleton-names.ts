// Cluster names of the node's own coordination: the singleton locks and the membership map. Kept out
// of store/names.ts because those are the Python services' wire contract; these are ours — except the
// ACB writer's lock, which must be the very lock the ACB actor (and any Python writer) already takes,
// or two writers could hold "the" ACB lock at once under different names.
import { StoreKeyError } from '../store/errors.ts';
import { ACB_WRITER_LOCK } from '../store/names.ts';

/** The roles that must run on exactly one node of the cluster. */
export const SINGLETON_ROLES = ['acb', 'watchdog', 'forewarner'] as const;
export type KnownSingletonRole = (typeof SINGLETON_ROLES)[number];
/** a known role or any other (e.g. `dolphin_blue`); the `string & {}` keeps editor completion of the known ones */
export type SingletonRole = KnownSingletonRole | (string & {});

/** IMap nodeId → `{"node", "ts", "host", "instance"}` heartbeats (supervision/membership.ts). */
export const DOLPHIN_NODES = 'DOLPHIN_NODES';

const SINGLETON_PREFIX = 'DOLPHIN_SINGLETON_';
const ROLE_PATTERN = /^[a-z0-9]+(?:[_-][a-z0-9]+)*$/i;

/**
 * The FencedLock a role is elected through: `DOLPHIN_SINGLETON_<ROLE>` (upper case, `-` → `_`), and
 * for the ACB writer the existing `ACB_WRITER_LOCK`, so the single-writer rule spans old and new code.
 */
export function singletonLockName(role: SingletonRole): string {
  if (typeof role !== 'string' || !ROLE_PATTERN.test(role)) {
    throw new StoreKeyError('singleton role', String(role), 'expected letters and digits separated by single _ or -');
  }
  if (role.toLowerCase() === 'acb') return ACB_WRITER_LOCK;
  return SINGLETON_PREFIX + role.toUpperCase().replaceAll('-', '_');
}

/**
 * Whether a command's shown result still describes the lock. A result gives way to newer state:
 * once the lock reports something the result does not account for ("LOCKED" after "Unlocked —
 * confirmed", the lock back online after "Timed out"), the result is hidden rather than left to
 * contradict what the lock says now.
 */
import type { CommandAction, CommandState, LockState, LockStatus } from '../gql/graphql';

export interface LockSnapshot {
  status: LockStatus;
  state: LockState;
  online: boolean;
}

export interface ShownResult {
  action: CommandAction;
  state: CommandState;
}

export function snapshotOf(lock: LockSnapshot): LockSnapshot {
  return { status: lock.status, state: lock.state, online: lock.online };
}

function same(a: LockSnapshot, b: LockSnapshot): boolean {
  return a.status === b.status && a.state === b.state && a.online === b.online;
}

/** The lock as a succeeded command left it: its confirming status may arrive after the result. */
function confirms(result: ShownResult, lock: LockSnapshot): boolean {
  if (result.state !== 'SUCCEEDED' || lock.state !== 'AVAILABLE') return false;
  return lock.status === (result.action === 'LOCK' ? 'LOCKED' : 'UNLOCKED');
}

/**
 * What a change of the lock from `before` (as it was when the result was shown, or last confirmed)
 * to `now` means for the result: `keep` (nothing visible changed), `confirm` (the change is the
 * result's own outcome: keep it, and compare later changes with `now`), or `superseded`.
 */
export function resultAfterChange(result: ShownResult, before: LockSnapshot, now: LockSnapshot): 'keep' | 'confirm' | 'superseded' {
  if (same(before, now)) return 'keep';
  if (confirms(result, now)) return 'confirm';
  return 'superseded';
}

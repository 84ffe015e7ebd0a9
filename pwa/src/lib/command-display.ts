/** What people read about a lock/unlock command in each of its states. */
import type { CommandAction, CommandState } from '../gql/graphql';
import { reasonText } from './reason-text';

export function progressText(action: CommandAction): string {
  switch (action) {
    case 'LOCK':
      return 'Locking…';
    case 'UNLOCK':
      return 'Unlocking…';
  }
}

export function isFinal(state: CommandState): boolean {
  return state !== 'SENT';
}

export function commandText(action: CommandAction, state: CommandState, reason: string | null | undefined): string {
  const why = reasonText(reason);
  switch (state) {
    case 'SENT':
      return progressText(action);
    case 'SUCCEEDED':
      return action === 'LOCK' ? 'Locked — confirmed' : 'Unlocked — confirmed';
    case 'REJECTED':
      return `Rejected: ${why}`;
    case 'FAILED':
      return `Failed: ${why}`;
    case 'TIMED_OUT':
      return 'Timed out — the lock did not answer';
    case 'SUPERSEDED':
      return 'Replaced by a newer request';
  }
}

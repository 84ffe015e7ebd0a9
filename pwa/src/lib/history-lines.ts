/**
 * The audit log as people read it: one line per command with its outcome (the api records a
 * command when it is sent and again when it ends, each entry naming the command's id), other
 * entries in words, and a lock's "Unlocked" report dropped when it only confirms the command above.
 */
import type { AuditFieldsFragment } from '../gql/graphql';
import { entryText } from './entry-text';
import { reasonText } from './reason-text';

export type AuditItem = Pick<AuditFieldsFragment, 'id' | 'at' | 'actor' | 'action' | 'deviceId' | 'result' | 'detail'>;

export interface HistoryLine {
  key: string;
  /** When it happened (a command: when it ended, or was sent while it has not). */
  at: string;
  text: string;
  deviceId: string | null;
  /** It did not do what was asked (a failed command, a lock going offline…), for emphasis. */
  problem: boolean;
}

/** Results that name the command in their detail, `<id>` or `<id>: <reason>`. */
const NAMES_COMMAND = new Set(['SENT', 'SUCCEEDED', 'REJECTED', 'FAILED', 'TIMED_OUT', 'SUPERSEDED', 'SUPERSEDED_ACK']);
/** A lock's confirming status this close to its command's success says nothing new. */
const CONFIRMS_WITHIN_MS = 30_000;

const isCommand = (item: AuditItem) => item.action === 'command.lock' || item.action === 'command.unlock';

function commandIdOf(item: AuditItem): string | null {
  if (!isCommand(item) || !NAMES_COMMAND.has(item.result) || !item.detail) return null;
  const at = item.detail.indexOf(': ');
  return at < 0 ? item.detail : item.detail.slice(0, at);
}

/** The entry that says how a command ended (or that it is still on its way). */
const finalOf = (group: readonly AuditItem[]) => group.find((item) => item.result !== 'SUPERSEDED_ACK') ?? group[0]!;

function reasonOf(item: AuditItem): string | null {
  const at = item.detail?.indexOf(': ') ?? -1;
  return item.detail && at >= 0 ? item.detail.slice(at + 2) : null;
}

/**
 * A command's line from its entries, newest first. `SUPERSEDED_ACK` is the lock answering a
 * command already replaced: it does not change the outcome, but "ok" means the lock did it first.
 */
export function commandText(entries: readonly AuditItem[]): { text: string; problem: boolean } {
  const final = finalOf(entries);
  const unlock = final.action === 'command.unlock';
  const asked = `${unlock ? 'Unlock' : 'Lock'}${final.actor ? ` by ${final.actor}` : ''}`;
  switch (final.result) {
    case 'SUCCEEDED':
      return { text: `${unlock ? 'Unlocked' : 'Locked'}${final.actor ? ` by ${final.actor}` : ''}`, problem: false };
    case 'SENT':
      return { text: `${asked}: waiting for the lock`, problem: false };
    case 'REJECTED':
    case 'FAILED':
      return { text: `${asked} failed: ${reasonText(reasonOf(final))}`, problem: true };
    case 'TIMED_OUT':
      return { text: `${asked} failed: the lock did not answer`, problem: true };
    case 'SUPERSEDED': {
      const ranFirst = entries.some((item) => item.result === 'SUPERSEDED_ACK' && reasonOf(item) === 'ok');
      return { text: `${asked} replaced by a newer request${ranFirst ? ' (the lock had already done it)' : ''}`, problem: false };
    }
    case 'LOCK_OFFLINE':
    case 'TOO_MANY_COMMANDS':
    case 'WRONG_PIN':
    case 'MISSING_PIN':
    case 'PIN_THROTTLED':
      return { text: `${asked} not sent: ${reasonText(final.result)}`, problem: true };
    default:
      return { text: `${asked}: ${reasonText(final.result)}`, problem: false };
  }
}

const PROBLEMS = new Set(['lock.offline', 'lock.alertRaised', 'lock.messageDropped', 'lock.plainLoginRefused', 'lock.clientIdClaimed', 'session.reuseDetected']);

function isProblem(item: AuditItem): boolean {
  if (PROBLEMS.has(item.action)) return true;
  if (item.action === 'lock.status') return item.result === 'JAMMED';
  if (item.action === 'lock.configured') return item.result !== 'ok';
  return item.action === 'user.signIn' && item.result !== 'ok';
}

/** The status a successful command leaves the lock in. */
const TARGET: Record<string, string> = { 'command.lock': 'LOCKED', 'command.unlock': 'UNLOCKED' };

interface Success {
  deviceId: string | null;
  status: string;
  at: number;
}

/** A lock's status that only repeats what a command just did ("Unlocked by alice", then "Unlocked"). */
function confirmsSuccess(item: AuditItem, successes: readonly Success[]): boolean {
  if (item.action !== 'lock.status') return false;
  const at = Date.parse(item.at);
  return successes.some(
    (done) => done.deviceId === (item.deviceId ?? null) && done.status === item.result && Math.abs(at - done.at) <= CONFIRMS_WITHIN_MS,
  );
}

/** Command entries gathered per (lock, command id); the order keeps each group where its newest entry is. */
function gather(items: readonly AuditItem[]): { order: (AuditItem | string)[]; commands: Map<string, AuditItem[]> } {
  const commands = new Map<string, AuditItem[]>();
  const order: (AuditItem | string)[] = [];
  for (const item of items) {
    const id = commandIdOf(item);
    if (id === null) {
      order.push(item);
      continue;
    }
    const key = `${item.deviceId ?? ''}/${id}`;
    const known = commands.get(key);
    if (known) known.push(item);
    else {
      commands.set(key, [item]);
      order.push(key);
    }
  }
  return { order, commands };
}

/** Lines for audit entries given newest first (as the api pages them). */
export function historyLines(items: readonly AuditItem[]): HistoryLine[] {
  const { order, commands } = gather(items);
  const successes: Success[] = [...commands.values()]
    .map(finalOf)
    .filter((final) => final.result === 'SUCCEEDED')
    .map((final) => ({ deviceId: final.deviceId ?? null, status: TARGET[final.action] ?? '', at: Date.parse(final.at) }));
  const lines: HistoryLine[] = [];
  for (const entry of order) {
    if (typeof entry === 'string') {
      const group = commands.get(entry)!;
      const final = finalOf(group);
      lines.push({ key: `command:${entry}`, at: final.at, deviceId: final.deviceId ?? null, ...commandText(group) });
    } else if (!confirmsSuccess(entry, successes)) {
      // A command refused before it was sent (offline lock, too many requests) has no id: a line of its own.
      const words = isCommand(entry) ? commandText([entry]) : { text: entryText(entry), problem: isProblem(entry) };
      lines.push({ key: entry.id, at: entry.at, deviceId: entry.deviceId ?? null, ...words });
    }
  }
  return lines;
}

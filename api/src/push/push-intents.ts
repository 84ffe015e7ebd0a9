/**
 * Turns what the audit trail records into who should be told what. The trail is the domain's
 * one account of what happened (status changes, commands, alerts, sign-ins), written once by the
 * replica that made the change, so following it sends each notification once.
 */
import { ALERT_TEXT } from '../alerts/alert-rules.js';
import { SERVER_RESTARTED } from '../offline/restart-availability.js';
import type { Store } from '../store/ports.js';
import type { AuditRecord, LockAlertKind, LockRecord } from '../store/records.js';
import type { PushKind } from '../store/push-records.js';
import { lockUrl, type PushIntent } from './push-message.js';

const FAILED_COMMAND_STATES = new Set(['REJECTED', 'FAILED', 'TIMED_OUT']);
/** The statuses `statusChange` may tell of. */
const TOLD_STATUSES = new Set(['JAMMED', 'LOCKED', 'UNLOCKED']);
const ALERT_KINDS: Record<LockAlertKind, PushKind> = {
  DOOR_AJAR: 'DOOR_AJAR',
  LOCKED_DOOR_OPEN: 'DOOR_AJAR',
  LEFT_UNLOCKED: 'LEFT_UNLOCKED',
  BAD_SIGNATURES: 'FORGED_MESSAGES',
};
const HOUR = 3600;
/** The only actions that can call for a push: everything else is not queued at all. */
const TOLD_ACTIONS = new Set(['user.signIn', 'lock.status', 'lock.offline', 'lock.batteryLow', 'lock.alertRaised', 'command.lock', 'command.unlock']);

function aboutLock(lock: LockRecord, kind: PushKind, body: string, more: Partial<PushIntent> = {}): PushIntent {
  return {
    kind,
    recipient: lock.owner,
    deviceId: lock.deviceId,
    causedBy: null,
    payload: { title: lock.name, body, url: lockUrl(lock.deviceId), tag: `${kind}:${lock.deviceId}` },
    ttlSeconds: HOUR,
    urgency: 'normal',
    ...more,
  };
}

const lower = (status: string) => status.toLowerCase();

export class PushIntents {
  constructor(private readonly store: Store) {}

  /**
   * Cheap, synchronous: whether `entry` may call for a push, so that other entries cost nothing (not
   * even the read of their lock: a command's SENT and SUCCEEDED entries are on its round trip).
   */
  static concerns(entry: AuditRecord): boolean {
    if (!TOLD_ACTIONS.has(entry.action)) return false;
    if (entry.action === 'command.lock' || entry.action === 'command.unlock') return FAILED_COMMAND_STATES.has(entry.result);
    if (entry.action === 'lock.status') return TOLD_STATUSES.has(entry.result);
    return true;
  }

  /**
   * The notification `entry` calls for, if any. Who is told (the owner) and the lock's name are
   * read now; what moved the bolt comes from `asRecorded`, the lock as the entry left it (a later
   * status may already have replaced it).
   */
  async of(entry: AuditRecord, asRecorded?: LockRecord): Promise<PushIntent | null> {
    if (entry.action === 'user.signIn') return entry.result === 'ok' && entry.actor ? this.signIn(entry.actor, entry.at) : null;
    if (!entry.deviceId) return null;
    const lock = await this.store.locks.findByDeviceId(entry.deviceId);
    if (!lock) return null;
    switch (entry.action) {
      case 'lock.status':
        return this.statusChange(lock, asRecorded ?? lock, entry.result);
      case 'lock.offline':
        // Every lock is marked so at start-up: news of the server, not of each lock.
        if (entry.detail === SERVER_RESTARTED) return null;
        return aboutLock(lock, 'WENT_OFFLINE', `Offline: ${(entry.detail ?? 'no connection').toLowerCase()}`);
      case 'lock.batteryLow':
        return aboutLock(lock, 'LOW_BATTERY', `Battery low${entry.detail ? ` (${entry.detail})` : ''}: replace or charge it soon`, { ttlSeconds: 24 * HOUR, urgency: 'low' });
      case 'lock.alertRaised': {
        const alert = entry.result as LockAlertKind;
        if (!(alert in ALERT_KINDS)) return null;
        return aboutLock(lock, ALERT_KINDS[alert], ALERT_TEXT[alert], { urgency: 'high' });
      }
      case 'command.lock':
      case 'command.unlock':
        return this.commandFailure(lock, entry);
      default:
        return null;
    }
  }

  private async statusChange(lock: LockRecord, then: LockRecord, status: string): Promise<PushIntent | null> {
    if (status === 'JAMMED') return aboutLock(lock, 'JAMMED', 'Jammed: the bolt could not move', { urgency: 'high' });
    if (!TOLD_STATUSES.has(status)) return null;
    // Only a v2 lock says what moved its bolt (docs/protocol.md §11.4); a v1 lock's changes are not told.
    if (then.lastChangeSource === 'MANUAL') return aboutLock(lock, 'CHANGED_BY_HAND', `${status === 'LOCKED' ? 'Locked' : 'Unlocked'} by hand`);
    if (then.lastChangeSource !== 'REMOTE' || !then.lastChangedBy) return null;
    const command = await this.store.commands.findById(then.lastChangedBy);
    if (!command || command.requestedBy === lock.owner) return null;
    return aboutLock(lock, 'CHANGED_BY_OTHERS', `${status === 'LOCKED' ? 'Locked' : 'Unlocked'} by ${command.requestedBy}`, { causedBy: command.requestedBy });
  }

  private commandFailure(lock: LockRecord, entry: AuditRecord): PushIntent | null {
    if (!FAILED_COMMAND_STATES.has(entry.result)) return null;
    const action = entry.action === 'command.lock' ? 'Lock' : 'Unlock';
    const reason = entry.detail?.includes(': ') ? entry.detail.slice(entry.detail.indexOf(': ') + 2) : lower(entry.result).replace('_', ' ');
    // The failure is the lock's (or the network's), not the requester's: they are told too, since they may have left the app.
    return aboutLock(lock, 'COMMAND_FAILED', `${action} by ${entry.actor ?? 'someone'} failed: ${reason}`);
  }

  private signIn(username: string, at: Date): PushIntent {
    return {
      kind: 'NEW_SIGN_IN',
      recipient: username,
      deviceId: null,
      causedBy: null,
      payload: { title: 'New sign-in', body: `Someone signed in to ${username} at ${at.toISOString().slice(11, 16)} UTC. Not you? Sign out everywhere.`, url: '/', tag: `NEW_SIGN_IN:${at.getTime()}` },
      ttlSeconds: 24 * HOUR,
      urgency: 'normal',
    };
  }
}

/**
 * One audit entry that is not a command, in words: what happened and who did it, without the
 * recorded codes (`ok`, `AVAILABLE`, `UNAVAILABLE`) or ids. Commands are merged per command id in
 * history-lines.ts.
 */
import type { AuditFieldsFragment } from '../gql/graphql';
import { actionLabel, isAuditAction } from './audit-labels';
import { reasonText } from './reason-text';

type Entry = Pick<AuditFieldsFragment, 'action' | 'actor' | 'result' | 'detail'>;

const by = (actor: string | null | undefined) => (actor ? ` by ${actor}` : '');

/** "A → B" as its two sides. */
function change(detail: string | null | undefined): [string, string] | null {
  const parts = detail?.split(' → ');
  return parts?.length === 2 ? [parts[0]!, parts[1]!] : null;
}

/** What follows "<id>: " in a detail, if anything: the reason of an answer. */
function afterId(detail: string | null | undefined): string | null {
  const at = detail?.indexOf(': ') ?? -1;
  return detail && at >= 0 ? detail.slice(at + 2) : null;
}

const STATUS: Record<string, string> = {
  LOCKED: 'Locked',
  UNLOCKED: 'Unlocked',
  JAMMED: 'Jammed',
  UNKNOWN: 'Position unknown',
};

/** "relock 30 s, boot STAY, lockOpen REFUSE" (the api's description of lock settings) in words. */
export function settingsText(detail: string | null | undefined): string {
  const match = /^relock (\d+) s, boot (\w+), lockOpen (\w+)$/.exec(detail ?? '');
  if (!match) return detail ?? '';
  const [, relock, boot, lockOpen] = match;
  return [
    relock === '0' ? 'no automatic relock' : `relocks after ${relock} s`,
    boot === 'LOCK' ? 'locks when it starts' : 'stays as it is when it starts',
    lockOpen === 'ALLOW' ? 'locks even with the door open' : 'will not lock an open door',
  ].join(', ');
}

/** "bob: USER → ADMIN" as "root made bob an admin". */
function roleText(detail: string | null | undefined, actor: string | null | undefined): string {
  const match = /^(.+): (\w+) → (\w+)/.exec(detail ?? '');
  if (!match) return `Role changed${by(actor)}${detail ? `: ${detail}` : ''}`;
  const role = match[3] === 'ADMIN' ? 'an admin' : 'a user';
  return actor ? `${actor} made ${match[1]} ${role}` : `${match[1]} is now ${role}`;
}

/** The steps of an over-the-air secret change (api/src/devices/key-rotation.ts). */
const ROTATION_STEP: Record<string, string> = {
  started: 'Secret change over the air started',
  switched: 'The lock stored its new secret; the server uses it',
  completed: 'Secret changed over the air',
  rejected: 'The lock refused its new secret',
  failed: 'The lock could not take its new secret',
};

export function entryText(entry: Entry): string {
  const { action, actor, result, detail } = entry;
  if (!isAuditAction(action)) return `${action}${by(actor)}${detail ? `: ${detail}` : ''}`;
  switch (action) {
    case 'command.lock':
    case 'command.unlock':
      return `${actionLabel(action)}${by(actor)}`; // merged per command in history-lines.ts
    case 'lock.status': {
      const now = STATUS[result] ?? `Position ${result.toLowerCase()}`;
      return detail ? `${now}: ${reasonText(detail)}` : now;
    }
    case 'lock.online':
      return 'Came online';
    case 'lock.offline':
      return `Went offline: ${reasonText(detail)}`;
    case 'lock.batteryLow':
      return detail ? `Battery low: ${detail}` : 'Battery low';
    case 'lock.register':
      return detail ? `Added as “${detail}”${by(actor)}` : `Added${by(actor)}`;
    case 'lock.claim':
      return `Claimed by its code${by(actor)}`;
    case 'lock.claimed':
      return 'Came online with its new credentials: claimed';
    case 'lock.release':
      return `Released: its code can claim it again${by(actor)}`;
    case 'lock.factoryReset':
      return 'Factory-reset on the lock (long press): released';
    case 'lock.rename': {
      const names = change(detail);
      return names ? `Renamed from “${names[0]}” to “${names[1]}”${by(actor)}` : `Renamed${by(actor)}`;
    }
    case 'lock.remove':
      return `Removed${by(actor)}`;
    case 'lock.reassign': {
      const owners = change(detail);
      return owners ? `Moved from ${owners[0]} to ${owners[1]}${by(actor)}` : `Given to another user${by(actor)}`;
    }
    case 'lock.transferOffered':
      return `Offered${by(actor)}${detail ? ` ${detail}` : ''}`;
    case 'lock.transferCancelled':
      return `Offer withdrawn${by(actor)}${detail ? ` (${detail})` : ''}`;
    case 'lock.transferDeclined':
      return `Offer declined${by(actor)}`;
    case 'lock.transferred': {
      const owners = change(detail);
      return owners ? `Changed hands from ${owners[0]} to ${owners[1]}` : `Changed hands${by(actor)}`;
    }
    case 'lock.shareCreated':
      return `Shared${by(actor)}${detail ? ` ${detail}` : ''}`;
    case 'lock.shareUpdated':
      return `Share changed${by(actor)}${detail ? ` (${detail})` : ''}`;
    case 'lock.shareRevoked':
      return `Share ended${by(actor)}${detail ? ` (${detail})` : ''}`;
    case 'lock.shareInvitationCreated':
      return `Invitation to share created${by(actor)}`;
    case 'lock.shareInvitationAccepted':
      return `Invitation to share accepted${by(actor)}`;
    case 'lock.shareInvitationCancelled':
      return `Invitation to share cancelled${by(actor)}`;
    case 'lock.timeZone':
      return `Time zone set${by(actor)}${detail ? `: ${detail}` : ''}`;
    case 'lock.rotateSecret':
      return `New device secret${by(actor)}`;
    case 'lock.secretRotated':
      return `${ROTATION_STEP[result] ?? `Secret change over the air: ${result}`}${by(actor)}`;
    case 'lock.settings': {
      const wait = result === 'NEEDS_PROTOCOL_V2' ? ' (applied once the lock speaks protocol v2)' : '';
      return `Settings changed${by(actor)}: ${settingsText(detail)}${wait}`;
    }
    case 'lock.configure':
      return 'Settings sent to the lock';
    case 'lock.configured':
      return result === 'ok' ? 'The lock applied its settings' : `The lock refused its settings: ${reasonText(afterId(detail))}`;
    case 'lock.alertSettings':
      return `Alert times changed${by(actor)}`;
    case 'lock.protocol':
      return `Speaks protocol ${result}`;
    case 'lock.alertRaised':
      return `Alert: ${detail ?? reasonText(result)}`;
    case 'lock.alertCleared':
      return `Alert over: ${detail ?? reasonText(result)}`;
    case 'lock.messageDropped':
      return `Ignored a message: ${reasonText(result)}`;
    case 'lock.tlsRequired':
      return 'Connects over TLS only from now on';
    case 'lock.plainLoginRefused':
      return 'Refused a login without TLS';
    case 'lock.clientIdClaimed':
      return "Another lock tried to use this lock's identity";
    case 'lock.firmwareUpdate':
      return `Firmware update: ${result.toLowerCase().replace('_', ' ')}${detail ? ` (${detail})` : ''}`;
    case 'lock.unlock':
    case 'lock.lock':
      return `${action === 'lock.unlock' ? 'Unlocked' : 'Locked'} over Bluetooth${by(actor)}`;
    case 'lock.offline_key_issued':
    case 'lock.offline_keys_revoked':
    case 'lock.ble_revocation_sent':
    case 'lock.ble_revocation_applied':
    case 'lock.ble_unknown_key':
      return `${actionLabel(action)}${by(actor)}${detail ? `: ${detail}` : ''}`;
    case 'firmware.release.added':
      return `Firmware release added${detail ? `: ${detail}` : ''}`;
    case 'firmware.rollout.started':
    case 'firmware.rollout.advanced':
    case 'firmware.rollout.paused':
    case 'firmware.rollout.resumed':
    case 'firmware.rollout.cancelled':
    case 'firmware.rollout.completed':
      return `Firmware rollout ${action.slice('firmware.rollout.'.length)}${detail ? `: ${detail}` : ''}`;
    case 'user.signUp':
      return `${actor ?? 'Someone'} signed up`;
    case 'user.signIn':
      if (result === 'ok') return `${actor ?? 'Someone'} signed in`;
      if (result === 'throttled') return 'Sign-in refused: too many attempts';
      return `Sign-in failed${detail ? ` for ${detail.split(' ')[0]}` : ''}`;
    case 'user.signOutEverywhere':
      return `${actor ?? 'Someone'} signed out everywhere`;
    case 'user.setRole':
      return roleText(detail, actor);
    case 'user.bootstrapAdmin':
      return `First admin ${detail ?? ''} created`.replace('  ', ' ');
    case 'user.changePassword':
      return result === 'ok' ? `${actor ?? 'Someone'} changed their password: other sessions ended` : `${actor ?? 'Someone'} could not change their password${detail ? `: ${detail}` : ''}`;
    case 'user.reauthenticate':
      if (detail?.includes('passkey')) return result === 'ok' ? `${actor ?? 'Someone'} confirmed it was them with a passkey` : `${actor ?? 'Someone'} tried a passkey that did not work to confirm it was them`;
      return result === 'ok' ? `${actor ?? 'Someone'} confirmed their password` : `${actor ?? 'Someone'} entered a wrong password to confirm it was them`;
    case 'user.totpEnabled':
      return `${actor ?? 'Someone'} turned on an authenticator app`;
    case 'user.totpDisabled':
      return `${actor ?? 'Someone'} turned off their authenticator app${detail ? ` (${detail})` : ''}`;
    case 'user.recoveryLinkIssued':
      return `Recovery link issued${actor ? ` for ${actor}` : ''}${detail ? `: ${detail}` : ''}`;
    case 'user.recovered':
      return result === 'ok' ? `${actor ?? 'Someone'} set a new password with a recovery link: every session ended` : `A recovery link was refused${detail ? `: ${detail}` : ''}`;
    case 'user.emailChanged':
      return `${actor ?? 'Someone'} changed their recovery email${detail ? `: ${detail}` : ''}`;
    case 'user.emailVerified':
      return `${actor ?? 'Someone'} confirmed their recovery email address`;
      return `${actor ?? 'Someone'} turned off their authenticator app`;
    case 'user.passkeyAdded':
      return `${actor ?? 'Someone'} added a passkey${detail ? `: ${detail}` : ''}`;
    case 'user.passkeyRemoved':
      return `${actor ?? 'Someone'} removed a passkey${detail ? `: ${detail}` : ''}`;
    case 'user.passkeyUsed':
      return `${actor ?? 'Someone'} used a passkey${detail ? ` (${detail})` : ''}`;
    case 'session.end':
      return `${actor ?? 'Someone'} ended a session${detail ? `: ${detail}` : ''}`;
    case 'session.reuseDetected':
      return `A used sign-in token came back${actor ? ` for ${actor}` : ''}: sessions ended`;
    case 'user.deleted':
      return `An account was deleted; its entries now say ${detail ?? 'a pseudonym'}`;
    case 'store.restored':
      return `Restored from a backup${detail ? ` (${detail})` : ''}`;
    case 'store.secretsKeyRotated':
      return `Device secrets re-sealed under a new key${detail ? ` (${detail})` : ''}`;
  }
}

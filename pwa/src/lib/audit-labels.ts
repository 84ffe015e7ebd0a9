/** Audit actions in words, for the admin's filter. The list is the api's own (every action it records). */
import { AUDIT_ACTIONS, type AuditAction } from '../../../api/src/audit/audit-actions';

export { AUDIT_ACTIONS, type AuditAction };

const LABELS: Record<AuditAction, string> = {
  'command.lock': 'Lock',
  'command.unlock': 'Unlock',
  'lock.register': 'Lock added',
  'lock.claim': 'Lock claimed by its code',
  'lock.claimed': 'Claimed lock came online',
  'lock.release': 'Lock released (can be claimed again)',
  'lock.factoryReset': 'Lock factory-reset',
  'lock.rename': 'Lock renamed',
  'lock.remove': 'Lock removed',
  'lock.reassign': 'Lock given to another user',
  'lock.transferOffered': 'Lock offered to another person',
  'lock.transferCancelled': 'Lock offer withdrawn',
  'lock.transferDeclined': 'Lock offer declined',
  'lock.transferred': 'Lock changed hands',
  'lock.shareCreated': 'Lock shared',
  'lock.shareUpdated': 'Share changed',
  'lock.shareRevoked': 'Share ended',
  'lock.shareInvitationCreated': 'Share invitation created',
  'lock.shareInvitationAccepted': 'Share invitation accepted',
  'lock.shareInvitationCancelled': 'Share invitation cancelled',
  'lock.timeZone': 'Lock time zone changed',
  'lock.rotateSecret': 'New device secret',
  'lock.secretRotated': 'Secret changed over the air',
  'lock.settings': 'Lock settings changed',
  'lock.configure': 'Settings sent to a lock',
  'lock.configured': "A lock's answer to its settings",
  'lock.alertSettings': 'Alert settings changed',
  'lock.status': 'Locked or unlocked (reported by the lock)',
  'lock.online': 'Came online',
  'lock.offline': 'Went offline',
  'lock.batteryLow': 'Battery low',
  'lock.protocol': 'Protocol version',
  'lock.alertRaised': 'Alert',
  'lock.alertCleared': 'Alert over',
  'lock.messageDropped': 'Message ignored',
  'lock.tlsRequired': 'Moved to TLS',
  'lock.plainLoginRefused': 'Login without TLS refused',
  'lock.clientIdClaimed': "Another lock used a lock's identity",
  'lock.firmwareUpdate': 'Firmware update',
  'lock.offline_key_issued': 'Bluetooth offline key issued',
  'lock.offline_keys_revoked': 'Bluetooth offline keys revoked',
  'lock.ble_revocation_sent': 'Revoked Bluetooth keys sent to the lock',
  'lock.ble_revocation_applied': 'Lock took the revoked Bluetooth keys',
  'lock.unlock': 'Unlocked over Bluetooth',
  'lock.lock': 'Locked over Bluetooth',
  'lock.ble_unknown_key': 'Bluetooth use with an unknown key',
  'firmware.release.added': 'Firmware release added',
  'firmware.rollout.started': 'Firmware rollout started',
  'firmware.rollout.advanced': 'Firmware rollout: next stage',
  'firmware.rollout.paused': 'Firmware rollout paused',
  'firmware.rollout.resumed': 'Firmware rollout resumed',
  'firmware.rollout.cancelled': 'Firmware rollout cancelled',
  'firmware.rollout.completed': 'Firmware rollout completed',
  'user.signUp': 'Sign-up',
  'user.signIn': 'Sign-in',
  'user.signOutEverywhere': 'Signed out everywhere',
  'user.setRole': 'Role changed',
  'user.bootstrapAdmin': 'First admin created',
  'user.changePassword': 'Password changed',
  'user.reauthenticate': 'Identity confirmed',
  'user.totpEnabled': 'Authenticator app on',
  'user.totpDisabled': 'Authenticator app off',
  'user.recoveryLinkIssued': 'Recovery link issued',
  'user.recovered': 'Password reset by a recovery link',
  'user.emailChanged': 'Recovery email changed',
  'user.emailVerified': 'Recovery email confirmed',
  'user.passkeyAdded': 'Passkey added',
  'user.passkeyRemoved': 'Passkey removed',
  'user.passkeyUsed': 'Passkey used',
  'session.reuseDetected': 'Sign-in token reused',
  'session.end': 'Session ended',
  'store.restored': 'Restored from a backup',
  'user.deleted': 'Account deleted',
  'store.secretsKeyRotated': 'Secrets key rotated',
};

export function isAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

/** The action in words; one the app does not know (a newer api) as recorded. */
export function actionLabel(action: string): string {
  return isAuditAction(action) ? LABELS[action] : action;
}

const GROUPS: { label: string; prefixes: string[] }[] = [
  { label: 'Commands', prefixes: ['command.'] },
  { label: 'Locks', prefixes: ['lock.'] },
  { label: 'People', prefixes: ['user.', 'session.'] },
  { label: 'Firmware', prefixes: ['firmware.'] },
  { label: 'Operations', prefixes: ['store.'] },
];

/** Every action for a filter, in words, under Commands, Locks, People, Firmware and Operations (in the api's order). */
export function actionGroups(): { label: string; actions: { value: AuditAction; label: string }[] }[] {
  return GROUPS.map((group) => ({
    label: group.label,
    actions: AUDIT_ACTIONS.filter((action) => group.prefixes.some((prefix) => action.startsWith(prefix))).map((action) => ({ value: action, label: LABELS[action] })),
  }));
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateTime.format(time);
}

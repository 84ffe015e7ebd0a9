/**
 * Every action the audit log records: the one list the api writes with (AuditService.record only
 * takes these) and the app offers as filters and words (pwa/src/lib/audit-labels.ts). Dependency
 * free on purpose, so that the app can import it without pulling in server code.
 */
export const AUDIT_ACTIONS = [
  'command.lock',
  'command.unlock',
  'lock.register',
  'lock.claim',
  'lock.claimed',
  'lock.release',
  'lock.factoryReset',
  'lock.rename',
  'lock.remove',
  'lock.reassign',
  'lock.transferOffered',
  'lock.transferCancelled',
  'lock.transferDeclined',
  'lock.transferred',
  'lock.rotateSecret',
  'lock.secretRotated',
  'lock.settings',
  'lock.configure',
  'lock.configured',
  'lock.alertSettings',
  'lock.status',
  'lock.online',
  'lock.offline',
  'lock.batteryLow',
  'lock.protocol',
  'lock.alertRaised',
  'lock.alertCleared',
  'lock.messageDropped',
  'lock.tlsRequired',
  'lock.plainLoginRefused',
  'lock.clientIdClaimed',
  'lock.firmwareUpdate',
  'firmware.release.added',
  'firmware.rollout.started',
  'firmware.rollout.advanced',
  'firmware.rollout.paused',
  'firmware.rollout.resumed',
  'firmware.rollout.cancelled',
  'firmware.rollout.completed',
  'user.signUp',
  'user.signIn',
  'user.signOutEverywhere',
  'user.deleted',
  'user.setRole',
  'user.bootstrapAdmin',
  'user.changePassword',
  'user.reauthenticate',
  'user.totpEnabled',
  'user.totpDisabled',
  'user.recoveryLinkIssued',
  'user.recovered',
  'user.emailChanged',
  'user.emailVerified',
  'user.passkeyAdded',
  'user.passkeyRemoved',
  'user.passkeyUsed',
  'session.reuseDetected',
  'session.end',
  'store.restored',
  'store.secretsKeyRotated',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The audit action of a lock/unlock command. */
export function commandAuditAction(action: 'LOCK' | 'UNLOCK'): AuditAction {
  return action === 'LOCK' ? 'command.lock' : 'command.unlock';
}

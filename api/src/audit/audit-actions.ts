/**
 * Every action the audit log records: the one list the api writes with (AuditService.record only
 * takes these) and the app offers as filters and words (pwa/src/lib/audit-labels.ts). Dependency
 * free on purpose, so that the app can import it without pulling in server code.
 */
export const AUDIT_ACTIONS = [
  'command.lock',
  'command.unlock',
  'lock.register',
  'lock.rename',
  'lock.remove',
  'lock.reassign',
  'lock.rotateSecret',
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
  'user.signUp',
  'user.signIn',
  'user.signOutEverywhere',
  'user.setRole',
  'user.bootstrapAdmin',
  'user.changePassword',
  'user.reauthenticate',
  'user.totpEnabled',
  'user.totpDisabled',
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

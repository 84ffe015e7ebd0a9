/** Audit actions in words; unknown actions show as recorded. */
const LABELS: Record<string, string> = {
  'command.lock': 'Lock command',
  'command.unlock': 'Unlock command',
  'lock.status': 'Status',
  'lock.online': 'Came online',
  'lock.offline': 'Went offline',
  'lock.register': 'Registered',
  'lock.rename': 'Renamed',
  'lock.remove': 'Removed',
  'lock.reassign': 'Reassigned',
  'lock.rotateSecret': 'Secret rotated',
  'lock.settings': 'Settings changed',
  'lock.messageDropped': 'Message dropped',
  'lock.alertRaised': 'Alert',
  'lock.alertCleared': 'Alert cleared',
  'lock.alertSettings': 'Alert settings changed',
  'user.signIn': 'Sign-in',
  'user.signUp': 'Sign-up',
  'user.signOutEverywhere': 'Signed out everywhere',
  'user.setRole': 'Role changed',
  'user.bootstrapAdmin': 'Admin created',
  'session.reuseDetected': 'Token reuse detected',
};

export function actionLabel(action: string): string {
  return LABELS[action] ?? action;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateTime.format(time);
}

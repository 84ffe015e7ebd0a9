/** A lock's firmware and its latest update in words, for the lock page. */
import type { FirmwareUpdateState } from '../gql/graphql';

export interface FirmwareUpdateView {
  releaseVersion: string;
  state: FirmwareUpdateState;
  reason?: string | null;
}

const REASONS: Record<string, string> = {
  bad_signature: 'the release was not signed by the right key',
  wrong_hw: 'the release is for other hardware',
  downgrade: 'the release is older than what the lock allows',
  too_big: 'the image does not fit',
  busy: 'the lock was busy',
  battery_low: 'the battery was too low',
  download: 'the download failed',
  truncated: 'the download was incomplete',
  bad_hash: 'the image was damaged',
  flash: 'writing the image failed',
  no_welcome: 'the new firmware could not reach the server',
  crash: 'the new firmware restarted before it was confirmed',
  not_sent: 'the update could not be sent',
};

export function updateReasonText(reason: string | null | undefined): string {
  return reason ? (REASONS[reason] ?? reason.replace(/_/g, ' ')) : 'no reason given';
}

const UNDER_WAY: readonly FirmwareUpdateState[] = ['SENT', 'DOWNLOADING', 'VERIFYING', 'REBOOTING', 'TRIAL'];

/** "2.0.0 · updating to 2.1.0…", "2.0.0 · rolled back: <reason>", or just the version. */
export function firmwareText(firmware: string | null | undefined, update: FirmwareUpdateView | null | undefined): string {
  const current = firmware ?? 'Unknown';
  if (!update || update.state === 'CONFIRMED') return current;
  if (UNDER_WAY.includes(update.state)) return `${current} · updating to ${update.releaseVersion}…`;
  if (update.state === 'ROLLED_BACK') return `${current} · rolled back from ${update.releaseVersion}: ${updateReasonText(update.reason)}`;
  if (update.state === 'TIMED_OUT') return `${current} · update to ${update.releaseVersion} timed out`;
  return `${current} · update to ${update.releaseVersion} failed: ${updateReasonText(update.reason)}`;
}

export function isUpdating(update: FirmwareUpdateView | null | undefined): boolean {
  return Boolean(update && UNDER_WAY.includes(update.state));
}

/** "1, 10, 50, 100" as stages, or null when it is not a list of whole numbers. */
export function parseStages(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.length === 0 || !parts.every((part) => /^\d{1,3}$/.test(part))) return null;
  return parts.map(Number);
}

import { CommandControls } from '../components/command-controls';
import { FormError } from '../components/form-error';
import { Link } from '../components/link';
import { LockFacts } from '../components/lock-facts';
import { NotificationsPanel } from '../components/notifications-panel';
import { PageHeading } from '../components/page-heading';
import type { LockAccessLostReason } from '../gql/graphql';
import { useLocks } from '../hooks/use-locks';
import { useSituation } from '../hooks/use-situation';
import { Activity } from './lock-detail/activity';
import { Diagnostics } from './lock-detail/diagnostics';
import { RemoveLock } from './lock-detail/remove-lock';
import { RenameForm } from './lock-detail/rename-form';
import { OverTheAirRotation } from './lock-detail/over-the-air-rotation';
import { RotateSecret } from './lock-detail/rotate-secret';
import { TransferLock } from './lock-detail/transfer-lock';

/** Why the lock left while its page was open, in the owner's words. */
function lostAccessText(reason: LockAccessLostReason): string {
  switch (reason) {
    case 'REMOVED':
      return 'The lock was removed, in another session or by an administrator.';
    case 'REASSIGNED':
      return 'An administrator gave this lock to another user.';
    case 'TRANSFERRED':
      return 'The person you offered this lock to accepted it: it is theirs now.';
    case 'SHARE_REVOKED':
      return 'Your access to this lock ended: its owner revoked or changed your share, or you left it.';
  }
}

export function LockDetailPage({ deviceId, username }: { deviceId: string; username: string }) {
  const { locks, loading, fresh, error, lost } = useLocks();
  const situation = useSituation();
  const lock = locks.find((known) => known.deviceId === deviceId);
  const lostReason = lost[deviceId];

  if (!lock && lostReason) {
    return (
      <>
        <PageHeading title="No access">You no longer have access to this lock</PageHeading>
        <p role="alert">{lostAccessText(lostReason)}</p>
        <p>
          <Link href="/">Back to my locks</Link>
        </p>
      </>
    );
  }

  if (!lock) {
    const stillLooking = loading || (!fresh && !error);
    return (
      <>
        <PageHeading title={stillLooking ? 'Loading' : 'Lock not found'}>{stillLooking ? 'Loading…' : 'Lock not found'}</PageHeading>
        <FormError message={error} />
        {!stillLooking && (
          <p>
            There is no lock “{deviceId}” among yours. <Link href="/">Back to my locks</Link>
          </p>
        )}
      </>
    );
  }

  const own = lock.owner.username === username;
  return (
    <>
      <p className="breadcrumb">
        {/* An admin comes to other users' locks from the admin page, not from "My locks". */}
        {own ? <Link href="/">← My locks</Link> : <Link href="/admin">← Admin</Link>}
      </p>
      <PageHeading title={lock.name}>{lock.name}</PageHeading>
      <section className="card" aria-label="State">
        <p className="muted">
          Device ID <code>{lock.deviceId}</code>
          {!own && <> · owner {lock.owner.username}</>}
        </p>
        <LockFacts lock={lock} situation={situation} />
        <CommandControls lock={lock} />
      </section>
      <Diagnostics lock={lock} />
      <NotificationsPanel deviceId={lock.deviceId} own={own} />
      <section className="card" aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <RenameForm lock={lock} />
        <div className="danger-zone">
          <OverTheAirRotation lock={lock} />
          <RotateSecret lock={lock} />
          {own && <TransferLock lock={lock} />}
          <RemoveLock lock={lock} />
        </div>
      </section>
      <Activity deviceId={lock.deviceId} />
    </>
  );
}

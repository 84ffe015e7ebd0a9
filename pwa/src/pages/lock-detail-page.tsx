import { CommandControls } from '../components/command-controls';
import { FormError } from '../components/form-error';
import { Link } from '../components/link';
import { LockFacts } from '../components/lock-facts';
import { PowerLine } from '../components/power-line';
import { NearbyControls } from '../components/nearby-controls';
import { NotificationsPanel } from '../components/notifications-panel';
import { PageHeading } from '../components/page-heading';
import type { LockAccessLostReason } from '../gql/graphql';
import { useLocks } from '../hooks/use-locks';
import { useSituation } from '../hooks/use-situation';
import { SharedLockNote } from '../components/shared-lock-note';
import { abilitiesOn } from '../lib/lock-access';
import { Activity } from './lock-detail/activity';
import { Diagnostics } from './lock-detail/diagnostics';
import { RemoveLock } from './lock-detail/remove-lock';
import { RenameForm } from './lock-detail/rename-form';
import { OverTheAirRotation } from './lock-detail/over-the-air-rotation';
import { RotateSecret } from './lock-detail/rotate-secret';
import { TransferLock } from './lock-detail/transfer-lock';
import { LeaveShare } from './lock-detail/leave-share';
import { PeopleSection } from './lock-detail/people/people-section';
import { TimeZoneSetting } from './lock-detail/time-zone-setting';

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
  const can = abilitiesOn(lock, username);
  return (
    <>
      <p className="breadcrumb">
        {/* An admin comes to other users' locks from the admin page, not from "My locks". */}
        {own || can.shared ? <Link href="/">← My locks</Link> : <Link href="/admin">← Admin</Link>}
      </p>
      <PageHeading title={lock.name}>{lock.name}</PageHeading>
      <section className="card" aria-label="State">
        <p className="muted">
          Device ID <code>{lock.deviceId}</code>
          {!own && !can.shared && <> · owner {lock.owner.username}</>}
        </p>
        {lock.myShare && <SharedLockNote lock={lock} share={lock.myShare} />}
        <LockFacts lock={lock} situation={situation} />
        <PowerLine lock={lock} />
        <CommandControls lock={lock} />
        <NearbyControls lock={lock} />
      </section>
      {can.configure && <Diagnostics lock={lock} />}
      {can.manage && <NotificationsPanel deviceId={lock.deviceId} own={own} />}
      {can.configure && <PeopleSection lock={lock} manage={can.manage} />}
      {(can.configure || can.shared) && (
        <section className="card" aria-labelledby="settings-title">
          <h2 id="settings-title">Settings</h2>
          {can.configure && <RenameForm lock={lock} />}
          {can.configure && <TimeZoneSetting lock={lock} />}
          <div className="danger-zone">
            {can.manage && <OverTheAirRotation lock={lock} />}
            {can.manage && <RotateSecret lock={lock} />}
            {own && <TransferLock lock={lock} />}
            {can.manage && <RemoveLock lock={lock} />}
            {lock.myShare && <LeaveShare lock={lock} shareId={lock.myShare.id} />}
          </div>
        </section>
      )}
      <Activity deviceId={lock.deviceId} />
    </>
  );
}

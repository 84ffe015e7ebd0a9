import { useMemo } from 'react';
import { Link } from '../components/link';
import { PageHeading } from '../components/page-heading';
import { useLocks } from '../hooks/use-locks';
import { useSession } from '../hooks/use-session';
import { AllLocksSection } from './admin/all-locks-section';
import { AuditSection } from './admin/audit-section';
import { FleetSection } from './admin/fleet-section';
import { useUsers } from './admin/use-users';
import { UsersSection } from './admin/users-section';

function AdminScreen({ selfId }: { selfId: string }) {
  // For an admin the locks store holds every lock, whoever owns it.
  const { locks } = useLocks();
  const { users, error: usersError, replace } = useUsers();
  const usernames = useMemo(() => users.map((user) => user.username), [users]);
  return (
    <>
      <PageHeading title="Admin">Admin</PageHeading>
      <p>
        <Link href="/admin/firmware">Firmware releases and rollouts</Link>
      </p>
      <FleetSection locks={locks} />
      <AllLocksSection locks={locks} usernames={usernames} usersError={usersError} />
      <UsersSection users={users} error={usersError} selfId={selfId} onSaved={replace} />
      <AuditSection />
    </>
  );
}

/** Loaded on demand: only admins ever download it. */
export default function AdminPage() {
  const session = useSession();
  if (session?.user.role !== 'ADMIN') {
    return (
      <>
        <PageHeading title="Not allowed">Not allowed</PageHeading>
        <p>Only administrators can open this page.</p>
      </>
    );
  }
  return <AdminScreen selfId={session.user.id} />;
}

import { PageHeading } from '../components/page-heading';
import { useLocks } from '../hooks/use-locks';
import { useSession } from '../hooks/use-session';
import { AllLocksSection } from './admin/all-locks-section';
import { AuditSection } from './admin/audit-section';
import { FleetSection } from './admin/fleet-section';
import { UsersSection } from './admin/users-section';

/** Loaded on demand: only admins ever download it. */
export default function AdminPage() {
  const session = useSession();
  const { locks } = useLocks();
  if (session?.user.role !== 'ADMIN') {
    return (
      <>
        <PageHeading title="Not allowed">Not allowed</PageHeading>
        <p>Only administrators can open this page.</p>
      </>
    );
  }
  return (
    <>
      <PageHeading title="Admin">Admin</PageHeading>
      <FleetSection locks={locks} />
      <AllLocksSection locks={locks} />
      <UsersSection selfId={session.user.id} />
      <AuditSection />
    </>
  );
}

import { FormError } from '../../components/form-error';
import { Link } from '../../components/link';
import type { Lock } from '../../lib/locks-store';
import { lockPath } from '../../lib/routes';
import { ReassignControl } from './reassign-control';

interface Props {
  /** Every lock, whoever owns it. */
  locks: readonly Lock[];
  /** Who a lock may be given to. */
  usernames: readonly string[];
  /** Why `usernames` could not be loaded, if it could not. */
  usersError: string | null;
}

export function AllLocksSection({ locks, usernames, usersError }: Props) {
  return (
    <section className="card" aria-labelledby="all-locks-title">
      <h2 id="all-locks-title">All locks</h2>
      <FormError message={usersError && `Users to reassign locks to could not be loaded: ${usersError}`} />
      <div className="table-scroll">
        <table aria-labelledby="all-locks-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Device ID</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
              <th scope="col">Reassign</th>
            </tr>
          </thead>
          <tbody>
            {locks.map((lock) => (
              <tr key={lock.deviceId}>
                <th scope="row">
                  <Link href={lockPath(lock.deviceId)}>{lock.name}</Link>
                </th>
                <td>
                  <code>{lock.deviceId}</code>
                </td>
                <td>{lock.owner.username}</td>
                <td>
                  {lock.status} · {lock.online ? 'Online' : 'Offline'}
                </td>
                <td>
                  <ReassignControl lock={lock} usernames={usernames} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {locks.length === 0 && <p className="muted">No locks registered.</p>}
    </section>
  );
}

import { useCallback, useEffect, useId, useState } from 'react';
import { FormError } from '../../components/form-error';
import { useServices } from '../../hooks/use-services';
import type { Role, UsersQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import { SetUserRoleDocument, UsersDocument } from '../../operations/users';

type User = UsersQuery['users'][number];

function UserRow({ user, self, onSaved }: { user: User; self: boolean; onSaved: (user: User) => void }) {
  const { request } = useServices();
  const selectId = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const save = async () => {
    setError(null);
    setPending(true);
    try {
      onSaved((await request(SetUserRoleDocument, { username: user.username, role })).setUserRole);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <tr>
      <th scope="row">
        {user.username}
        {self && <span className="muted"> (you)</span>}
      </th>
      <td>{user.role}</td>
      <td>
        <div className="inline-row">
          <label htmlFor={selectId} className="visually-hidden">
            Role for {user.username}
          </label>
          <select id={selectId} value={role} disabled={self} onChange={(e) => setRole(e.target.value === 'ADMIN' ? 'ADMIN' : 'USER')}>
            <option value="USER">USER</option>
            <option value="ADMIN">ADMIN</option>
          </select>
          <button type="button" disabled={self || pending} onClick={() => void save()}>
            Save<span className="visually-hidden"> role for {user.username}</span>
          </button>
        </div>
        <FormError message={error} />
      </td>
    </tr>
  );
}

export function UsersSection({ selfId }: { selfId: string }) {
  const { request } = useServices();
  const [users, setUsers] = useState<readonly User[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    request(UsersDocument, {}).then(
      (data) => setUsers(data.users),
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [request]);
  useEffect(load, [load]);

  const saved = (updated: User) => setUsers((all) => all.map((user) => (user.id === updated.id ? updated : user)));

  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <FormError message={error} />
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Change role</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} self={user.id === selfId} onSaved={saved} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

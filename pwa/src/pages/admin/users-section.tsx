import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { FormError } from '../../components/form-error';
import { useServices } from '../../hooks/use-services';
import type { Role } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import { SetUserRoleDocument } from '../../operations/users';
import { roleChangeWording } from './role-change';
import type { User } from './use-users';

function UserRow({ user, self, onSaved }: { user: User; self: boolean; onSaved: (user: User) => void }) {
  const { request } = useServices();
  const selectId = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const wording = roleChangeWording(user.username, role);

  const save = async () => {
    setConfirming(false);
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
          <button type="button" disabled={self || pending || role === user.role} onClick={() => setConfirming(true)}>
            Save<span className="visually-hidden"> role for {user.username}</span>
          </button>
        </div>
        <FormError message={error} />
        <ConfirmDialog open={confirming} title={wording.title} confirmLabel={wording.confirmLabel} onConfirm={() => void save()} onCancel={() => setConfirming(false)}>
          <p>{wording.consequence}</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

export function UsersSection({ users, error, selfId, onSaved }: { users: readonly User[]; error: string | null; selfId: string; onSaved: (user: User) => void }) {
  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <FormError message={error} />
      <div className="table-scroll">
        <table aria-labelledby="users-title">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Change role</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} self={user.id === selfId} onSaved={onSaved} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../../hooks/use-services';
import type { UsersQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/graphql-http';
import { UsersDocument } from '../../operations/users';

export type User = UsersQuery['users'][number];

export interface UsersState {
  /** By username, so that lists to pick from read in order. */
  users: readonly User[];
  error: string | null;
  /** A user as the api answered a change. */
  replace: (user: User) => void;
}

const byName = (a: User, b: User) => a.username.localeCompare(b.username);

/** Every account, loaded once per admin page: the users table and the reassignment lists share it. */
export function useUsers(): UsersState {
  const { request } = useServices();
  const [users, setUsers] = useState<readonly User[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let mounted = true;
    request(UsersDocument, {}).then(
      (data) => {
        if (!mounted) return;
        setUsers([...data.users].sort(byName));
        setError(null);
      },
      (e: unknown) => {
        if (mounted) setError(errorMessage(e));
      },
    );
    return () => {
      mounted = false;
    };
  }, [request]);

  const replace = useCallback((updated: User) => setUsers((all) => all.map((user) => (user.id === updated.id ? updated : user))), []);
  return { users, error, replace };
}

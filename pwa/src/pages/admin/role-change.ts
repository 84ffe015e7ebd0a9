import type { Role } from '../../gql/graphql';

/** What the confirmation says before `username` gets `role`. */
export function roleChangeWording(username: string, role: Role): { title: string; confirmLabel: string; consequence: string } {
  return role === 'ADMIN'
    ? {
        title: `Make ${username} an administrator?`,
        confirmLabel: 'Make administrator',
        consequence: `From now on ${username} sees and controls every lock, reassigns locks, changes roles and reads the whole audit log.`,
      }
    : {
        title: `Make ${username} a regular user?`,
        confirmLabel: 'Make regular user',
        consequence: `From now on ${username} sees and controls only their own locks, without the admin screen.`,
      };
}

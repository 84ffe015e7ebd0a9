import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesContext } from '../../hooks/use-services';
import type { Request } from '../../lib/api-client';
import { ApiError } from '../../lib/graphql-http';
import type { AppServices } from '../../lib/services';
import type { User } from './use-users';
import { UsersSection } from './users-section';

const USERS: User[] = [
  { id: 'u-root', username: 'root', role: 'ADMIN', createdAt: '2026-01-01T00:00:00.000Z' },
  { id: 'u-bob', username: 'bob', role: 'USER', createdAt: '2026-01-01T00:00:00.000Z' },
];

/** A `request` that fails with `error`, noting the variables it was called with. */
function refusing(error: Error): { request: Request; calls: unknown[] } {
  const calls: unknown[] = [];
  const request: Request = (_document, variables) => {
    calls.push(variables);
    return Promise.reject(error);
  };
  return { request, calls };
}

function renderSection(request: Request) {
  // The section asks the api only through `request`.
  const services = { request } as Partial<AppServices> as AppServices;
  render(
    <ServicesContext.Provider value={services}>
      <UsersSection users={USERS} error={null} selfId="u-root" onSaved={() => undefined} />
    </ServicesContext.Provider>,
  );
}

describe('<UsersSection>', () => {
  afterEach(cleanup);

  it('asks before changing a role: nothing is sent until confirmed, nothing on cancel', () => {
    const { request, calls } = refusing(new Error('not expected'));
    renderSection(request);
    const save = screen.getByRole('button', { name: 'Save role for bob' });
    expect(save).toHaveProperty('disabled', true); // nothing to save yet
    expect(screen.getByRole('button', { name: 'Save role for root' })).toHaveProperty('disabled', true); // oneself
    fireEvent.change(screen.getByLabelText('Role for bob'), { target: { value: 'ADMIN' } });
    fireEvent.click(save);
    const dialog = screen.getByRole('dialog', { name: 'Make bob an administrator?' });
    expect(within(dialog).getByText(/From now on bob sees and controls every lock/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls).toEqual([]);
  });

  it("shows the api's refusal in the user's row", async () => {
    const { request, calls } = refusing(new ApiError('You are not allowed to do this.', 'FORBIDDEN'));
    renderSection(request);
    fireEvent.change(screen.getByLabelText('Role for bob'), { target: { value: 'ADMIN' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save role for bob' }));
    const dialog = screen.getByRole('dialog', { name: 'Make bob an administrator?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Make administrator' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You are not allowed to do this.');
    expect(calls).toEqual([{ username: 'bob', role: 'ADMIN' }]);
  });
});

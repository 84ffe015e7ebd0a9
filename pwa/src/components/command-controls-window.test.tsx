import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesContext } from '../hooks/use-services';
import type { Request } from '../lib/api-client';
import { ApiError } from '../lib/graphql-http';
import type { AppServices } from '../lib/services';
import { aLock } from '../test-support/lock-fixture';
import { CommandControls } from './command-controls';

function renderControls(request: Request, timeZone: string) {
  // Only `request` and `connectivity.subscribe/online` are used before a command is accepted.
  const connectivity = { subscribe: () => () => undefined, online: () => true } as unknown as AppServices['connectivity'];
  const services = { request, connectivity } as Partial<AppServices> as AppServices;
  render(
    <ServicesContext.Provider value={services}>
      <CommandControls lock={aLock({ myRole: 'GUEST', timeZone })} />
    </ServicesContext.Provider>,
  );
}

async function unlock(): Promise<string> {
  fireEvent.click(screen.getByRole('button', { name: 'Unlock Front door' }));
  fireEvent.click(within(screen.getByRole('dialog', { name: 'Unlock Front door?' })).getByRole('button', { name: 'Unlock' }));
  return (await screen.findByText(/You can use this lock|ended/)).textContent ?? '';
}

describe('<CommandControls> outside a guest’s access', () => {
  afterEach(cleanup);

  it('says from when the lock can be used, in its time zone, instead of the api’s message', async () => {
    const nextAllowedAt = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 11) + '07:00:00.000Z';
    const request: Request = () => Promise.reject(new ApiError('Outside the access window.', 'ACCESS_WINDOW_CLOSED', { nextAllowedAt }));
    renderControls(request, 'Europe/Paris');
    // 07:00 UTC is 08:00 in Paris in winter, 09:00 in summer.
    expect(await unlock()).toMatch(/^You can use this lock from \w{3} 0[89]:00( \(Europe\/Paris\))?\.$/);
  });

  it('says the access has ended when it never opens again', async () => {
    const request: Request = () => Promise.reject(new ApiError('Outside the access window.', 'ACCESS_WINDOW_CLOSED', { nextAllowedAt: null }));
    renderControls(request, 'UTC');
    expect(await unlock()).toMatch(/Your access to this lock has ended/);
  });
});

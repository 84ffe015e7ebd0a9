import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocksStoreContext, ServicesContext } from '../../hooks/use-services';
import type { Request } from '../../lib/api-client';
import type { LocksStore } from '../../lib/locks-store';
import type { AppServices } from '../../lib/services';
import { aLock } from '../../test-support/lock-fixture';
import type * as ZonedTime from '../../lib/zoned-time';
import { TimeZoneSetting } from './time-zone-setting';

vi.mock('../../lib/zoned-time', async (original) => ({ ...(await original<typeof ZonedTime>()), deviceTimeZone: () => 'Europe/Paris' }));

function renderSetting(timeZone: string) {
  const sent: unknown[] = [];
  const request = ((_document: unknown, variables: { deviceId: string; timeZone: string }) => {
    sent.push(variables);
    return Promise.resolve({ setLockTimeZone: aLock({ timeZone: variables.timeZone }) });
  }) as unknown as Request;
  const upsert = vi.fn();
  render(
    <ServicesContext.Provider value={{ request } as Partial<AppServices> as AppServices}>
      <LocksStoreContext.Provider value={{ upsert } as Partial<LocksStore> as LocksStore}>
        <TimeZoneSetting lock={aLock({ timeZone })} />
      </LocksStoreContext.Provider>
    </ServicesContext.Provider>,
  );
  return { sent, upsert };
}

describe('<TimeZoneSetting>', () => {
  afterEach(cleanup);

  it("offers the device's zone for a lock still on UTC, says so, and sets it only when saved", async () => {
    const { sent, upsert } = renderSetting('UTC');
    expect(screen.getByLabelText<HTMLSelectElement>('Time zone').value).toBe('Europe/Paris');
    expect(screen.getByText(/This lock still uses UTC; your device’s zone \(Europe\/Paris\) is selected/)).toBeTruthy();
    expect(sent).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Save time zone' }));
    expect((await screen.findByText('The lock’s time zone is Europe/Paris.')).textContent).toBeTruthy();
    expect(sent).toEqual([{ deviceId: 'front', timeZone: 'Europe/Paris' }]);
    expect(upsert).toHaveBeenCalledWith(expect.objectContaining({ timeZone: 'Europe/Paris' }));
  });

  it('keeps a zone the owner chose, with nothing to save until it changes', () => {
    renderSetting('America/New_York');
    expect(screen.getByLabelText<HTMLSelectElement>('Time zone').value).toBe('America/New_York');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Save time zone' }).disabled).toBe(true);
    expect(screen.getByText('Guests’ days and hours are read in America/New_York.')).toBeTruthy();
  });
});

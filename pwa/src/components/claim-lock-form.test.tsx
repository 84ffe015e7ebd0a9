import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { LockFieldsFragment } from '../gql/graphql';
import { ServicesContext } from '../hooks/use-services';
import type { Request } from '../lib/api-client';
import type { AppServices } from '../lib/services';
import { aLock } from '../test-support/lock-fixture';
import { ClaimLockForm } from './claim-lock-form';

/** The worked example's code (docs/protocol.md §15.7): its check characters are right. */
const CODE = 'SL1-5CA1AB1E0DDBA11F-008J-4CT4-ANK7-F24S-7Y';

afterEach(cleanup);

describe('Enter the code on the box', () => {
  it('says it is looking for the lock while claimLock waits for it (docs/protocol.md §15.8), and stops saying so once answered', async () => {
    let answer: (value: { claimLock: LockFieldsFragment }) => void = () => undefined;
    const request = (() =>
      new Promise<{ claimLock: LockFieldsFragment }>((resolve) => {
        answer = resolve;
      })) as Request;
    const claimed: LockFieldsFragment[] = [];
    render(
      <ServicesContext.Provider value={{ request } as Partial<AppServices> as AppServices}>
        <ClaimLockForm onClaimed={(lock) => claimed.push(lock)} />
      </ServicesContext.Provider>,
    );
    expect(screen.queryByRole('status')).toBeNull();
    fireEvent.change(screen.getByLabelText('Code on the box'), { target: { value: CODE } });
    fireEvent.change(screen.getByLabelText('Lock name'), { target: { value: 'Front door' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add lock' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Looking for the lock… this can take up to 20 seconds while it connects.'));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Add lock' }).disabled).toBe(true);
    answer({ claimLock: aLock() });
    await waitFor(() => expect(claimed).toHaveLength(1));
    expect(screen.queryByRole('status')).toBeNull();
  });
});

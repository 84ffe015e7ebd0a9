import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServicesContext } from '../../hooks/use-services';
import type { Request } from '../../lib/api-client';
import type { AppServices } from '../../lib/services';
import { RolloutCard, type Rollout } from './rollout-card';
import { StartRolloutForm } from './start-rollout-form';

const PAUSED: Rollout = {
  id: 'r-1',
  state: 'PAUSED',
  stages: [10, 50, 100],
  stageIndex: 0,
  maxFailurePercent: 20,
  pausedReason: '1 of 1 updates failed (above 20%): crash',
  startedBy: 'root',
  createdAt: '2026-11-30T08:00:00.000Z',
  release: { id: 'rel-1', version: '2.1.0', hw: 'esp32' },
  stageCounts: [
    { stage: 0, percent: 10, sent: 1, inProgress: 0, confirmed: 0, failed: 1 },
    { stage: 1, percent: 50, sent: 0, inProgress: 0, confirmed: 0, failed: 0 },
    { stage: 2, percent: 100, sent: 0, inProgress: 0, confirmed: 0, failed: 0 },
  ],
  locks: [{ deviceId: 'front-door', stage: 0, state: 'ROLLED_BACK', reason: 'crash' }],
};

/** A `request` that answers `answer`, noting each call's variables. */
function answering(answer: unknown): { request: Request; calls: unknown[] } {
  const calls: unknown[] = [];
  const request = ((_document: unknown, variables: unknown) => {
    calls.push(variables);
    return Promise.resolve(answer);
  }) as Request;
  return { request, calls };
}

function withServices(request: Request, element: React.ReactElement) {
  const services = { request } as Partial<AppServices> as AppServices;
  render(<ServicesContext.Provider value={services}>{element}</ServicesContext.Provider>);
}

describe('<RolloutCard>', () => {
  afterEach(cleanup);

  it('shows why it paused, the counts per stage and each failure in words, and resumes', async () => {
    const { request, calls } = answering({ resumeFirmwareRollout: { ...PAUSED, state: 'RUNNING', pausedReason: null } });
    const changed: Rollout[] = [];
    withServices(request, <RolloutCard rollout={PAUSED} onChanged={(r) => changed.push(r)} />);
    expect(screen.getByText('Paused: 1 of 1 updates failed (above 20%): crash')).toBeTruthy();
    const stages = screen.getByRole('table', { name: 'Stages of the 2.1.0 rollout' });
    expect(within(stages).getAllByRole('row')[1]?.textContent).toBe('110 %1001');
    expect(screen.getByRole('listitem').textContent).toBe('front-door: rolled back, the new firmware restarted before it was confirmed');
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    await screen.findByRole('button', { name: 'Resume' });
    await Promise.resolve();
    expect(calls).toEqual([{ id: 'r-1' }]);
    expect(changed[0]?.state).toBe('RUNNING');
  });
});

describe('<StartRolloutForm>', () => {
  afterEach(cleanup);

  it('refuses stages that are not numbers before asking the api, then sends them parsed', async () => {
    const { request, calls } = answering({ startFirmwareRollout: PAUSED });
    const releases = [{ id: 'rel-1', hw: 'esp32', version: '2.1.0', arc: 3, size: 4096, sha256: 'a'.repeat(64), addedAt: '2026-11-30T08:00:00.000Z' }];
    withServices(request, <StartRolloutForm releases={releases} onStarted={() => undefined} />);
    const stages = screen.getByLabelText('Stages (% of the locks, cumulative)');
    fireEvent.change(stages, { target: { value: '10, half' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start rollout' }));
    expect((await screen.findByRole('alert')).textContent).toContain('whole percentages');
    expect(calls).toEqual([]);
    fireEvent.change(stages, { target: { value: '10, 50, 100' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start rollout' }));
    await screen.findByRole('button', { name: 'Start rollout' });
    await Promise.resolve();
    expect(calls).toEqual([{ releaseId: 'rel-1', stages: [10, 50, 100], maxFailurePercent: 5 }]);
  });
});

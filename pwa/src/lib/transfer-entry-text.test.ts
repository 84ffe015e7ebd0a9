import { describe, expect, it } from 'vitest';
import { actionLabel } from './audit-labels';
import { entryText } from './entry-text';

describe('transfer entries in words', () => {
  it('says who offered, withdrew, declined, and who the lock went from and to', () => {
    expect(entryText({ action: 'lock.transferOffered', actor: 'alice', result: 'ok', detail: 'to bob; open until 2026-12-07T11:00:00.000Z' })).toBe(
      'Offered by alice to bob; open until 2026-12-07T11:00:00.000Z',
    );
    expect(entryText({ action: 'lock.transferCancelled', actor: 'alice', result: 'ok', detail: 'to bob' })).toBe('Offer withdrawn by alice (to bob)');
    expect(entryText({ action: 'lock.transferDeclined', actor: 'bob', result: 'ok', detail: 'from alice' })).toBe('Offer declined by bob');
    expect(entryText({ action: 'lock.transferred', actor: 'bob', result: 'ok', detail: 'alice → bob' })).toBe('Changed hands from alice to bob');
    expect(actionLabel('lock.transferred')).toBe('Lock changed hands');
  });
});

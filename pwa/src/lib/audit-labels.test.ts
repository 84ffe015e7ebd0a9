import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, actionGroups, actionLabel } from './audit-labels';

describe('audit action labels', () => {
  it('offers every action the api records exactly once, each in words', () => {
    const offered = actionGroups().flatMap((group) => group.actions);
    expect(offered.map((action) => action.value).sort()).toEqual([...AUDIT_ACTIONS].sort());
    for (const action of offered) expect(action.label, action.value).not.toMatch(/\./);
    expect(new Set(offered.map((action) => action.label)).size).toBe(offered.length);
  });

  it('shows an action it does not know as recorded', () => {
    expect(actionLabel('command.unlock')).toBe('Unlock');
    expect(actionLabel('lock.future')).toBe('lock.future');
  });
});

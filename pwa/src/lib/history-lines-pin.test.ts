import { describe, expect, it } from 'vitest';
import { type AuditItem, historyLines } from './history-lines';

const T = Date.parse('2026-11-30T10:00:00Z');
let next = 0;
const refused = (result: string, detail: string | null = null): AuditItem => {
  next += 1;
  return { id: String(next), at: new Date(T + next * 1000).toISOString(), actor: 'Home Assistant (alice)', action: 'command.unlock', deviceId: 'front', result, detail };
};

describe('Home Assistant unlocks refused for their PIN', () => {
  it('words each refusal as a problem, naming Home Assistant', () => {
    expect(historyLines([refused('WRONG_PIN')])[0]).toMatchObject({ text: 'Unlock by Home Assistant (alice) not sent: wrong PIN', problem: true });
    expect(historyLines([refused('MISSING_PIN')])[0]).toMatchObject({ text: 'Unlock by Home Assistant (alice) not sent: no PIN given', problem: true });
    expect(historyLines([refused('PIN_THROTTLED', 'retry in 900 s')])[0]).toMatchObject({ text: 'Unlock by Home Assistant (alice) not sent: too many wrong PINs, unlocks paused', problem: true });
  });
});

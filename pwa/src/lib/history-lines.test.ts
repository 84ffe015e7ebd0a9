import { describe, expect, it } from 'vitest';
import { type AuditItem, historyLines } from './history-lines';

const ID = '0b6c3c1e-52a4-4b8e-9d7e-2f1f3e1c9a00';
const OTHER = '7d1a2b3c-0000-4000-8000-000000000001';
let next = 0;
const T = Date.parse('2026-11-30T10:00:00Z');
function entry(seconds: number, fields: Partial<AuditItem>): AuditItem {
  next += 1;
  return { id: String(next), at: new Date(T + seconds * 1000).toISOString(), actor: null, action: 'lock.online', deviceId: 'front', result: 'ok', detail: null, ...fields };
}
const unlock = (seconds: number, result: string, detail: string | null, actor = 'alice') =>
  entry(seconds, { action: 'command.unlock', actor, result, detail });
const texts = (items: AuditItem[]) => historyLines(items).map((line) => line.text);

describe('historyLines', () => {
  it('shows a command once, with its outcome, where its newest entry is', () => {
    const lines = historyLines([unlock(2, 'SUCCEEDED', ID), unlock(1, 'SENT', ID), entry(0, { action: 'lock.online', result: 'AVAILABLE' })]);
    expect(lines.map((line) => line.text)).toEqual(['Unlocked by alice', 'Came online']);
    expect(lines[0]).toMatchObject({ at: new Date(T + 2000).toISOString(), problem: false, deviceId: 'front' });
  });

  it('never shows command ids or raw results', () => {
    const all = texts([
      unlock(9, 'REJECTED', `${ID}: stale`),
      unlock(8, 'SENT', ID),
      entry(7, { action: 'command.lock', actor: 'bob', result: 'TIMED_OUT', detail: `${OTHER}: no ack from the lock` }),
      entry(6, { action: 'command.lock', actor: 'bob', result: 'SENT', detail: OTHER }),
    ]).join('\n');
    expect(all).toBe("Unlock by alice failed: the lock's clock is off\nLock by bob failed: the lock did not answer");
    expect(all).not.toMatch(/SENT|SUCCEEDED|TIMED_OUT|REJECTED|\bok\b|0b6c/);
  });

  it('words every ending of a command', () => {
    expect(texts([unlock(1, 'FAILED', `${ID}: jammed`)])).toEqual(['Unlock by alice failed: motor jammed']);
    expect(texts([unlock(1, 'SENT', ID)])).toEqual(['Unlock by alice: waiting for the lock']);
    expect(texts([unlock(1, 'FAILED', `${ID}: broker unavailable`)])).toEqual(['Unlock by alice failed: the server could not reach the lock']);
    expect(texts([unlock(1, 'SUPERSEDED', `${ID}: superseded by ${OTHER}`)])).toEqual(['Unlock by alice replaced by a newer request']);
    expect(texts([unlock(1, 'LOCK_OFFLINE', null)])).toEqual(['Unlock by alice not sent: the lock was offline']);
    expect(texts([unlock(1, 'TOO_MANY_COMMANDS', 'retry in 30 s')])).toEqual(['Unlock by alice not sent: too many requests']);
    expect(historyLines([unlock(1, 'REJECTED', `${ID}: door_open`)])[0]).toMatchObject({ text: 'Unlock by alice failed: the door is open', problem: true });
  });

  it("keeps a replaced command replaced when the lock answers it late, noting that the lock did it", () => {
    const lines = texts([unlock(3, 'SUPERSEDED_ACK', `${ID}: ok`), unlock(2, 'SUPERSEDED', `${ID}: superseded by ${OTHER}`), unlock(1, 'SENT', ID)]);
    expect(lines).toEqual(['Unlock by alice replaced by a newer request (the lock had already done it)']);
  });

  it("keeps two locks' commands apart even with the same id", () => {
    const lines = texts([unlock(2, 'SUCCEEDED', ID), entry(1, { action: 'command.unlock', actor: 'bob', deviceId: 'back', result: 'SENT', detail: ID })]);
    expect(lines).toEqual(['Unlocked by alice', 'Unlock by bob: waiting for the lock']);
  });

  it("drops the lock's status that only confirms a command's success, and keeps one that says more", () => {
    const confirmed = [entry(3, { action: 'lock.status', result: 'UNLOCKED' }), unlock(2, 'SUCCEEDED', ID), unlock(1, 'SENT', ID)];
    expect(texts(confirmed)).toEqual(['Unlocked by alice']);
    const byHand = [entry(300, { action: 'lock.status', result: 'LOCKED' }), entry(120, { action: 'lock.status', result: 'UNLOCKED' }), unlock(2, 'SUCCEEDED', ID)];
    expect(texts(byHand)).toEqual(['Locked', 'Unlocked', 'Unlocked by alice']);
  });

  it('words the other entries without their codes', () => {
    expect(texts([entry(1, { action: 'lock.offline', result: 'UNAVAILABLE', detail: 'Clock out of sync' })])).toEqual(["Went offline: the lock's clock is off"]);
    expect(texts([entry(1, { action: 'lock.status', result: 'JAMMED', detail: 'Motor jammed' })])).toEqual(['Jammed: motor jammed']);
    expect(texts([entry(1, { action: 'lock.register', actor: 'alice', result: 'ok', detail: 'Front door' })])).toEqual(['Added as “Front door” by alice']);
    expect(texts([entry(1, { action: 'lock.rename', actor: 'alice', result: 'ok', detail: 'Front door → Porch' })])).toEqual(['Renamed from “Front door” to “Porch” by alice']);
    expect(texts([entry(1, { action: 'lock.reassign', actor: 'root', result: 'ok', detail: 'alice → bob' })])).toEqual(['Moved from alice to bob by root']);
    expect(texts([entry(1, { action: 'lock.messageDropped', result: 'bad_signature', detail: 'boot 1 seq 2' })])).toEqual(['Ignored a message: its signature was wrong']);
    expect(texts([entry(1, { action: 'lock.settings', actor: 'alice', result: 'PENDING', detail: 'relock 30 s, boot STAY, lockOpen REFUSE' })])).toEqual([
      'Settings changed by alice: relocks after 30 s, stays as it is when it starts, will not lock an open door',
    ]);
    expect(texts([entry(1, { action: 'lock.configured', result: 'rejected', detail: 'cfg-1: storage' })])).toEqual(['The lock refused its settings: the lock could not save its counter']);
    expect(texts([entry(1, { action: 'user.signIn', actor: 'alice', result: 'ok', detail: '127.0.0.1' })])).toEqual(['alice signed in']);
    expect(texts([entry(1, { action: 'user.setRole', actor: 'root', result: 'ok', detail: 'bob: USER → ADMIN' })])).toEqual(['root made bob an admin']);
    expect(texts([entry(1, { action: 'lock.future', actor: 'alice', result: 'ok', detail: 'x' })])).toEqual(['lock.future by alice: x']);
  });
});

import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../events/memory-event-bus.js';
import type { UserRecord } from '../store/records.js';
import { RIGHTS_CHANGED_CLOSE, SocketRights } from './socket-rights.js';

/** A socket that records its close and, like ws, emits 'close' once the handshake is done. */
class FakeSocket extends EventEmitter {
  closedWith: number | undefined;
  readonly closing: Promise<number>;
  private reportClose: (code: number) => void = () => undefined;

  constructor() {
    super();
    this.closing = new Promise((resolve) => (this.reportClose = resolve));
  }

  close(code: number): void {
    this.closedWith = code;
    this.reportClose(code);
    this.emit('close');
  }
}

function user(id: string, fields: Partial<UserRecord> = {}): UserRecord {
  return { id, username: id, passwordHash: '', role: 'USER', tokenVersion: 0, createdAt: new Date(0), ...fields };
}

function setUp(recheckEveryMs?: number) {
  const events = new MemoryEventBus();
  const users = new Map<string, UserRecord>([
    ['ann', user('ann', { role: 'ADMIN' })],
    ['bob', user('bob')],
  ]);
  const endedLines = new Set<string>();
  const rights = new SocketRights({
    events,
    users: { findById: (id) => Promise.resolve(users.get(id) ?? null) },
    sessions: { isFamilyLive: (familyId) => Promise.resolve(!endedLines.has(familyId)) },
    log: pino({ level: 'silent' }),
    ...(recheckEveryMs ? { recheckEveryMs } : {}),
  });
  const open = (id: string, sessionId: string | null = null) => {
    const socket = new FakeSocket();
    const { role, tokenVersion } = users.get(id) ?? user(id);
    rights.track(socket, { userId: id, role, tokenVersion, sessionId });
    return socket;
  };
  return { events, users, endedLines, rights, open };
}

describe('SocketRights', () => {
  it('closes only the sockets of the session that was ended', async () => {
    const { events, rights, open } = setUp();
    const [ended, other, bob] = [open('ann', 'line-1'), open('ann', 'line-2'), open('bob', 'line-1')];
    events.publish('user.rightsChanged', { userId: 'ann', reason: 'sessionEnded', sessions: { only: 'line-1' } });
    expect(await ended.closing).toBe(RIGHTS_CHANGED_CLOSE);
    await rights.recheck();
    expect(other.closedWith).toBeUndefined();
    expect(bob.closedWith).toBeUndefined();
    await rights.stop();
  });

  it('closes every socket of the user but those of the session kept (a password change)', async () => {
    const { events, rights, open } = setUp();
    const [kept, other, older] = [open('ann', 'line-1'), open('ann', 'line-2'), open('ann')];
    events.publish('user.rightsChanged', { userId: 'ann', reason: 'passwordChanged', sessions: { except: 'line-1' } });
    expect(await Promise.all([other.closing, older.closing])).toEqual([RIGHTS_CHANGED_CLOSE, RIGHTS_CHANGED_CLOSE]);
    expect(kept.closedWith).toBeUndefined();
    await rights.stop();
  });

  it('re-checks the session line too: a socket of an ended line closes even if the event was lost', async () => {
    const { events, endedLines, rights, open } = setUp();
    const [ended, live] = [open('bob', 'line-1'), open('bob', 'line-2')];
    endedLines.add('line-1');
    events.publish('bus.resync', { reason: 'reconnected', at: new Date() });
    expect(await ended.closing).toBe(RIGHTS_CHANGED_CLOSE);
    await rights.recheck();
    expect(live.closedWith).toBeUndefined();
    await rights.stop();
  });

  it("closes every socket of a user whose rights changed, and only theirs", async () => {
    const { events, rights, open } = setUp();
    const [ann1, ann2, bob] = [open('ann'), open('ann'), open('bob')];
    events.publish('user.rightsChanged', { userId: 'ann', reason: 'roleChanged' });
    expect(await Promise.all([ann1.closing, ann2.closing])).toEqual([RIGHTS_CHANGED_CLOSE, RIGHTS_CHANGED_CLOSE]);
    expect(bob.closedWith).toBeUndefined();
    await rights.stop();
  });

  it('re-checks every socket against the store after a resync (events may have been lost)', async () => {
    const { events, users, rights, open } = setUp();
    const [ann, bob, gone] = [open('ann'), open('bob'), open('bob')];
    const carl = (users.set('carl', user('carl')), open('carl'));
    users.set('ann', user('ann', { role: 'USER' })); // demoted while Redis was away
    users.delete('carl');
    users.set('bob', user('bob'));
    gone.close(1000); // closed by its client: no longer tracked
    events.publish('bus.resync', { reason: 'reconnected', at: new Date() });
    expect(await ann.closing).toBe(RIGHTS_CHANGED_CLOSE);
    expect(await carl.closing).toBe(RIGHTS_CHANGED_CLOSE);
    await rights.recheck(); // the resync's run has finished (one run at a time)
    expect(bob.closedWith).toBeUndefined();
    await rights.stop();
  });

  it('re-checks on its own for changes made outside the api (the admin CLI)', async () => {
    const { users, rights, open } = setUp(20);
    const bob = open('bob');
    const ann = open('ann');
    users.set('bob', user('bob', { tokenVersion: 1 }));
    expect(await bob.closing).toBe(RIGHTS_CHANGED_CLOSE);
    expect(ann.closedWith).toBeUndefined();
    await rights.stop();
  });
});

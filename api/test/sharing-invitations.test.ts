/**
 * Invitation links to share a lock (issue 15 item 1) over real HTTP: the owner makes one (step-up,
 * link `<app origin>/invite#<token>`, only the token's hash stored), another user accepts it once,
 * a second acceptance, an expired or cancelled one and the owner's own are refused, and accepting
 * replaces a share the user already held.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { ACCEPT_INVITATION, CANCEL_INVITATION, INVITATIONS, INVITE, LOCK_SHARES, shareLock, type ShareView } from '../src/test-support/sharing-operations.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

interface Invitation {
  link: string;
  invitation: { id: string; deviceId: string; role: string; expiresAt: string; createdAt: string };
}

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let carol: AuthResult;

async function invite(deviceId: string, variables: Record<string, unknown> = {}): Promise<Invitation & { token: string }> {
  const response = await gql<{ createShareInvitation: Invitation }>(app.httpUrl, INVITE, { d: deviceId, r: 'GUEST', ...variables }, alice.accessToken);
  if (!response.data) throw new Error(`invite failed: ${JSON.stringify(response.errors)}`);
  const made = response.data.createShareInvitation;
  return { ...made, token: made.link.slice(made.link.indexOf('#') + 1) };
}

const accept = (user: AuthResult, token: string) => gql<{ acceptShareInvitation: ShareView }>(app.httpUrl, ACCEPT_INVITATION, { t: token }, user.accessToken);

beforeAll(async () => {
  app = await startTestApp({ ALLOWED_ORIGINS: 'https://locks.example' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  carol = await signUp(app.httpUrl, 'carol');
});
afterAll(async () => {
  await app.close();
});

describe('invitation links', () => {
  it('makes a link to the app valid 72 h by default, storing only the token hash; bob accepts once, carol is refused after', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const made = await invite(lock.deviceId, { a: { endsAt: '2099-01-01T00:00:00.000Z' } });
    expect(made.link).toMatch(/^https:\/\/locks\.example\/invite#[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(made.invitation.expiresAt) - Date.parse(made.invitation.createdAt)).toBe(72 * 3_600_000);
    const stored = await app.services.store.lockShares.findInvitation(made.invitation.id);
    expect(stored?.tokenHash).toBe(createHash('sha256').update(made.token).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(made.token);
    const pending = await gql<{ shareInvitations: { id: string }[] }>(app.httpUrl, INVITATIONS, { d: lock.deviceId }, alice.accessToken);
    expect(pending.data?.shareInvitations.map((i) => i.id)).toEqual([made.invitation.id]);

    const accepted = await accept(bob, made.token);
    expect(accepted.data?.acceptShareInvitation).toMatchObject({ deviceId: lock.deviceId, guest: 'bob', role: 'GUEST', endsAt: '2099-01-01T00:00:00.000Z', createdBy: 'alice' });
    const again = await accept(carol, made.token);
    expect(errorCodes(again)).toEqual(['BAD_USER_INPUT']);
    const shares = await gql<{ lockShares: ShareView[] }>(app.httpUrl, LOCK_SHARES, { d: lock.deviceId }, alice.accessToken);
    expect(shares.data?.lockShares.map((s) => s.guest)).toEqual(['bob']);
    const after = await gql<{ shareInvitations: { id: string }[] }>(app.httpUrl, INVITATIONS, { d: lock.deviceId }, alice.accessToken);
    expect(after.data?.shareInvitations).toEqual([]);
  });

  it('the owner cannot accept their own invitation, and it stays usable', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const made = await invite(lock.deviceId);
    expect(errorCodes(await accept(alice, made.token))).toEqual(['BAD_USER_INPUT']);
    expect((await accept(bob, made.token)).data?.acceptShareInvitation.guest).toBe('bob');
  });

  it('an expired invitation is refused', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const made = await invite(lock.deviceId, { h: 1 });
    // An hour is the shortest life: the stored expiry is moved to the past instead of waiting.
    const stored = await app.services.store.lockShares.findInvitation(made.invitation.id);
    if (!stored) throw new Error('not stored');
    await app.services.store.lockShares.cancelInvitation(stored.id);
    await app.services.store.lockShares.createInvitation({ ...stored, createdAt: new Date(Date.now() - 7_200_000), expiresAt: new Date(Date.now() - 1) });
    expect(errorCodes(await accept(bob, made.token))).toEqual(['BAD_USER_INPUT']);
    expect(await app.services.store.lockShares.find(lock.deviceId, 'bob')).toBeNull();
  });

  it('a cancelled invitation is refused; a made-up or malformed token too', async () => {
    const lock = await registerLock(app, alice.accessToken);
    const made = await invite(lock.deviceId);
    expect((await gql(app.httpUrl, CANCEL_INVITATION, { id: made.invitation.id }, alice.accessToken)).data).toEqual({ cancelShareInvitation: true });
    expect(errorCodes(await accept(bob, made.token))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await accept(bob, 'A'.repeat(43)))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await accept(bob, 'not a token'))).toEqual(['BAD_USER_INPUT']);
  });

  it('expiresInHours outside 1..720 is BAD_USER_INPUT', async () => {
    const lock = await registerLock(app, alice.accessToken);
    for (const h of [0, 721]) {
      expect(errorCodes(await gql(app.httpUrl, INVITE, { d: lock.deviceId, r: 'GUEST', h }, alice.accessToken)), String(h)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it("accepting replaces a share the user already held (a guest becomes a co-owner)", async () => {
    const lock = await registerLock(app, alice.accessToken);
    const before = await shareLock(app.httpUrl, alice, lock.deviceId, 'carol', 'GUEST', { endsAt: '2099-01-01T00:00:00.000Z' });
    const made = await invite(lock.deviceId, { r: 'CO_OWNER' });
    const accepted = await accept(carol, made.token);
    expect(accepted.data?.acceptShareInvitation).toMatchObject({ id: before.id, role: 'CO_OWNER', endsAt: null });
    expect(await app.services.store.lockShares.listByDevice(lock.deviceId)).toHaveLength(1);
  });

  it('a guest cannot invite or list invitations (FORBIDDEN)', async () => {
    const lock = await registerLock(app, alice.accessToken);
    await shareLock(app.httpUrl, alice, lock.deviceId, 'bob', 'GUEST');
    expect(errorCodes(await gql(app.httpUrl, INVITE, { d: lock.deviceId, r: 'GUEST' }, bob.accessToken))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await gql(app.httpUrl, INVITATIONS, { d: lock.deviceId }, bob.accessToken))).toEqual(['FORBIDDEN']);
  });
});

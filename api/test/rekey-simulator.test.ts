/**
 * The Node simulator speaks v3 but keeps no secret across its restarts, so it refuses a rekey
 * (docs/protocol.md §13.3): the refusal is audited, the rotation stays pending (sent again at its
 * next welcome), and the lock keeps working under its secret.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { auditTrail } from '../src/test-support/audit-trail.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, startLock } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

let app: TestApp;
let owner: AuthResult;
let sim: SimulatedLock | undefined;

beforeAll(async () => {
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '3000' });
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  await sim?.stop({ graceful: true }).catch(() => undefined);
  await app.close();
});

const ROTATE = 'mutation ($d: ID!) { rotateDeviceSecretOverTheAir(deviceId: $d) { secretRotation { state } } }';
const AUDIT = 'query ($d: ID!) { auditLog(filter: { deviceId: $d, action: "lock.secretRotated" }, first: 10) { edges { node { result detail } } } }';

describe('a simulated v3 lock and over-the-air rotation', () => {
  it('refuses the rekey (audited, rotation kept pending), and still obeys under its old secret', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const simLog: string[] = [];
    sim = await startLock(app, lock, { protocol: 3, door: 'CLOSED', log: (line) => simLog.push(`${new Date().toISOString()} ${line}`) });
    if (sim.protocolVersion === 1) await once(sim, 'negotiated');
    await eventually(async () => ((await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE' ? true : null));
    const started = await gql(app.httpUrl, ROTATE, { d: lock.deviceId }, owner.accessToken);
    expect(started.errors).toBeUndefined();
    const refused = await eventually(async () => {
      const audit = await gql<{ auditLog: { edges: { node: { result: string; detail: string } }[] } }>(app.httpUrl, AUDIT, { d: lock.deviceId }, owner.accessToken);
      return audit.data?.auditLog.edges.find((edge) => edge.node.result === 'rejected')?.node ?? null;
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}${await auditTrail(app.httpUrl, owner.accessToken, lock.deviceId)}\n--- simulator\n${simLog.join('\n')}`);
    });
    expect(refused.detail).toContain('unsupported');
    const row = await app.services.store.locks.findByDeviceId(lock.deviceId);
    expect(row).toMatchObject({ secretPendingSealed: expect.any(String) as unknown, secretPreviousSealed: null });
    const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: lock.deviceId }, owner.accessToken);
    const done = await eventually(async () => {
      const view = (await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id: sent.data?.unlock.id }, owner.accessToken)).data?.command;
      return view && view.state !== 'SENT' ? view : null;
    });
    expect(done.state).toBe('SUCCEEDED');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Env } from '../config/config.js';
import { signUp, type AuthResult } from './graphql-client.js';
import { registerLock, type Registered } from './locks.js';
import { startTestApp, type TestApp } from './test-app.js';
import { BUILD_TIMEOUT_MS, virtualLockRigUnavailable, type VirtualLock } from './virtual-lock.js';

/** What an end-to-end test with firmware/build/virtual-lock starts from: an api, a person and their registered lock. */
export interface VirtualLockRig {
  /** Set when the rig cannot run here (a Debian package missing outside CI): the tests skip with it. */
  skipReason: string | undefined;
  app: TestApp;
  person: AuthResult;
  registered: Registered;
  /** The virtual lock's own state files (its NVS). */
  stateDir: string;
  /** The running lock, if the test started one: killed after the file's tests. */
  lock: VirtualLock | undefined;
}

/**
 * Registers the file's beforeAll and afterAll: builds the virtual lock, starts an api with `env`,
 * signs `username` up and registers a lock for them. The fields are filled once beforeAll has run.
 */
export function useVirtualLockRig(options: { username: string; env?: Env }): VirtualLockRig {
  const rig = { skipReason: undefined, lock: undefined } as VirtualLockRig;
  beforeAll(async () => {
    rig.skipReason = await virtualLockRigUnavailable();
    if (rig.skipReason) return;
    rig.stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-virtual-lock-'));
    rig.app = await startTestApp(options.env);
    rig.person = await signUp(rig.app.httpUrl, options.username);
    rig.registered = await registerLock(rig.app, rig.person.accessToken);
  }, BUILD_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    if (rig.lock?.alive) await rig.lock.kill('SIGKILL');
    await rig.app?.close();
    if (rig.stateDir) rmSync(rig.stateDir, { recursive: true, force: true });
  });
  return rig;
}

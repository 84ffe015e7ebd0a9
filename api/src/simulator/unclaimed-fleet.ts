/**
 * `npm run simulate -- --unclaimed N`: N locks fresh from the factory (docs/protocol.md §15). Each
 * prints its claim code, as text and as a QR code (terminal-qr.ts), and waits; once someone claims
 * it (claimLock, or the app's "Add a lock"), it saves its new credentials with the others and runs
 * as that lock. Factory identities are kept in
 * the state dir, so the same codes come back at the next run until the locks are claimed.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileCounterStore } from './counter-store.js';
import { loadCredentials, saveCredentials } from './registration.js';
import { SimulatedLock } from './simulated-lock.js';
import { terminalQr } from './terminal-qr.js';
import { UnclaimedLock, newFactoryIdentity } from './unclaimed-lock.js';
import type { ClaimCode } from '../claims/claim-code.js';
import type { ProtocolVersion } from '../devices/protocol/versions.js';

export interface UnclaimedFleetOptions {
  brokerUrl: string;
  topicPrefix: string;
  count: number;
  stateDir: string;
  heartbeatMs: number;
  protocol: ProtocolVersion;
  /**
   * The app's address (the api serves it), when known: the QR code then holds `<app>/claim#<code>`,
   * which a phone's camera opens in the app with the code filled in. Without it, the bare code,
   * which the app's scanner and its "Add a lock" field take as well.
   */
  appUrl?: string | undefined;
  out: (line: string) => void;
}

export interface UnclaimedFleet {
  stop(): Promise<void>;
}

type StoredIdentity = { factoryId: string; secret: string };

/** The identities of this state dir (0600: whoever reads them can claim the locks), made as needed. */
function identities(stateDir: string, count: number): ClaimCode[] {
  const file = join(stateDir, 'factory-identities.json');
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StoredIdentity[]) : [];
  const all: ClaimCode[] = stored.map((s) => ({
    factoryId: s.factoryId,
    secret: Uint8Array.from(Buffer.from(s.secret, 'hex')),
  }));
  while (all.length < count) all.push(newFactoryIdentity());
  const toStore: StoredIdentity[] = all.map((id) => ({
    factoryId: id.factoryId,
    secret: Buffer.from(id.secret).toString('hex'),
  }));
  writeFileSync(file, `${JSON.stringify(toStore, null, 2)}\n`, { mode: 0o600 });
  return all.slice(0, count);
}

export async function startUnclaimedFleet(options: UnclaimedFleetOptions): Promise<UnclaimedFleet> {
  const running: { stop(): Promise<void> }[] = [];
  const credentialsFile = join(options.stateDir, 'credentials.json');
  const counters = new FileCounterStore(join(options.stateDir, 'counters'));
  for (const identity of identities(options.stateDir, options.count)) {
    const lock = new UnclaimedLock({
      brokerUrl: options.brokerUrl,
      topicPrefix: options.topicPrefix,
      identity,
    });
    running.push(lock);
    lock.on('error', (error) => options.out(`claim ${identity.factoryId}: ${error.message}`));
    lock.once('claimed', (credentials) => {
      void (async () => {
        await lock.stop();
        saveCredentials(credentialsFile, [...loadCredentials(credentialsFile).filter((d) => d.deviceId !== credentials.deviceId), credentials]);
        options.out(`claimed ${identity.factoryId} as ${credentials.deviceId}; credentials in ${credentialsFile}`);
        const sim = new SimulatedLock({
          ...credentials,
          brokerUrl: options.brokerUrl,
          topicPrefix: options.topicPrefix,
          heartbeatMs: options.heartbeatMs,
          protocol: options.protocol,
          state: counters,
        });
        running.push({ stop: () => sim.stop({ graceful: true }) });
        sim.on('online', () => options.out(`online  ${sim.deviceId}`));
        await sim.start();
      })().catch((error: unknown) =>
        options.out(`claimed lock ${identity.factoryId} did not start: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
    const code = await lock.code();
    options.out(`unclaimed lock ${identity.factoryId}: code ${code}`);
    const link = options.appUrl ? `${options.appUrl.replace(/\/+$/, '')}/claim#${code}` : undefined;
    if (link) options.out(`  or open ${link}`);
    for (const line of terminalQr(link ?? code)) options.out(line);
    // Not awaited: on Mosquitto with dynamic security the lock gets in only once its code is typed.
    void lock.start().catch((error: unknown) => options.out(`claim ${identity.factoryId}: ${error instanceof Error ? error.message : String(error)}`));
  }
  return {
    async stop() {
      for (const thing of running) await thing.stop().catch(() => undefined);
    },
  };
}

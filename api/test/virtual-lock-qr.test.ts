/**
 * The virtual lock's QR code (firmware/host/terminal_qr.cpp): firmware/build/virtual-lock started
 * with nothing stored prints "CLAIM CODE SL1-…" and under it the code drawn in half blocks. A real
 * QR decoder (jsQR, test-support/terminal-qr-reader.ts) must read that drawing as exactly the
 * printed code, which the api's parser (the app's too: pwa/src/lib/claim-code.ts) takes. Skipped
 * like the other virtual-lock suites when the firmware cannot be built here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClaimCode, parseClaimCode } from '../src/claims/claim-code.js';
import { sha256 } from '../src/claims/claim-crypto.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { modulesOf, qrLinesAt, readTerminalQr } from '../src/test-support/terminal-qr-reader.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

let skipReason: string | undefined;
let stateDir: string;
let lock: VirtualLock | undefined;

beforeAll(async () => {
  skipReason = await buildVirtualLock();
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-qr-'));
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  if (lock?.alive) await lock.kill('SIGKILL');
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('the virtual lock, unclaimed', () => {
  it('draws its claim code as a QR code that decodes to the printed code', { timeout: 30_000 }, async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    // It prints its code before it connects: a port nobody listens on is enough.
    lock = new VirtualLock('mqtt://127.0.0.1:9', 'qr', null, stateDir);
    const at = await lock.waitForLine('CLAIM CODE ');
    const printed = (lock.lines[at] ?? '').slice('CLAIM CODE '.length);
    // Lines arrive one by one: read again until the whole drawing is in.
    const decoded = await eventually(async () => readTerminalQr(qrLinesAt(lock?.lines ?? [], at + 1)), WAIT_MS, 50).catch(() => {
      throw new Error(`the QR code did not decode${lock?.transcript() ?? ''}`);
    });
    expect(decoded).toBe(printed);
    const parsed = await parseClaimCode(decoded, sha256);
    if (!parsed.ok) throw new Error(`the app's parser refuses ${decoded}: ${parsed.reason}`);
    expect(await formatClaimCode(parsed.code, sha256)).toBe(printed);

    // The standard quiet zone, 4 light modules, on every side; an upper-case code fits version 3.
    const modules = modulesOf(qrLinesAt(lock.lines, at + 1));
    const side = 29 + 8;
    expect(modules[0]?.length).toBe(side);
    expect(modules.length).toBe(side + 1); // two rows a line: the last line's lower half is spare
    const light = (row: boolean[] | undefined) => (row ?? []).every((dark) => !dark);
    expect([0, 1, 2, 3, side - 4, side - 3, side - 2, side - 1, side].every((r) => light(modules[r]))).toBe(true);
    expect(modules.every((row) => row.slice(0, 4).concat(row.slice(side - 4)).every((dark) => !dark))).toBe(true);
  });
});

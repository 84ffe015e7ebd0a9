import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeImprovLock as fakeLock } from '../test-support/fake-improv-lock';
import {
  Command as COMMAND,
  encodePacket,
  PacketParser,
  PacketType as TYPE,
  rpcPacket,
  setLockProvisioningPacket,
  wifiSettingsPacket,
} from '../../../api/src/provisioning/improv-protocol';
import { provisionOverSerial } from './improv';
import type { ProvisioningDocument } from './provisioning';

const DOC: ProvisioningDocument = {
  format: 'smartlock-provisioning',
  version: 1,
  deviceId: 'front-door',
  secret: '2b7e151628aed2a6abf7158809cf4f3c2b7e151628aed2a6abf7158809cf4f3c',
  broker: { host: 'smartlock.home.example', port: 1883, tlsPort: 8883, tls: 'psk', webSocketUrl: null },
  topicPrefix: 'smartlock',
  protocolVersion: 2,
};

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The hex block after `<!-- improv-example NAME -->` in docs/provisioning.md. */
function docExample(name: string): string {
  const doc = readFileSync(path.resolve(__dirname, '../../../docs/provisioning.md'), 'utf8');
  const at = doc.indexOf(`<!-- improv-example ${name} -->`);
  expect(at).toBeGreaterThan(0);
  return /```\n([\s\S]*?)```/.exec(doc.slice(at))![1]!.replace(/\s+/g, '');
}

describe('Improv over Web Serial', () => {
  it('builds the worked examples of docs/provisioning.md byte for byte', () => {
    expect(hex(wifiSettingsPacket('home', 'correct horse'))).toBe(docExample('wifi-settings'));
    expect(hex(setLockProvisioningPacket(DOC))).toBe(docExample('set-lock-provisioning'));
    expect(hex(encodePacket(TYPE.CurrentState, new Uint8Array([4])))).toBe(docExample('provisioned'));
    expect(hex(rpcPacket(0x02))).toBe('494d50524f560103020200e5');
  });

  it('finds packets between log lines and across chunk boundaries, skipping a bad checksum', () => {
    const good = encodePacket(TYPE.RpcResult, new Uint8Array([0xf0, 0]));
    const bad = good.slice();
    bad[bad.length - 1]! ^= 1;
    const stream = new Uint8Array([...new TextEncoder().encode('boot 1\r\nIMPRO'), ...bad, ...good]);
    const parser = new PacketParser();
    const got = [];
    for (const b of stream) got.push(...parser.push(new Uint8Array([b])));
    expect(got).toEqual([{ type: TYPE.RpcResult, data: new Uint8Array([0xf0, 0]) }]);
  });

  it('provisions a lock: device info, the lock settings, then the Wi-Fi network', async () => {
    const { port, received } = fakeLock({ log: true });
    const steps: string[] = [];
    await provisionOverSerial(port, DOC, { ssid: 'home', password: 'correct horse' }, (t) => steps.push(t), 5000);
    expect(received).toEqual([COMMAND.GetDeviceInfo, COMMAND.SetLockProvisioning, COMMAND.WifiSettings]);
    expect(steps.at(-1)).toBe('Provisioned: the lock joined “home” and restarts with its settings.');
  });

  it('says why when the lock refuses its settings or cannot join the network', async () => {
    await expect(provisionOverSerial(fakeLock({ refuse: true }).port, DOC, { ssid: 'home', password: '' }, () => {}, 5000)).rejects.toThrow(
      'The lock refused its settings: the lock refused a value (invalid RPC packet).',
    );
    await expect(provisionOverSerial(fakeLock({ noWifi: true }).port, DOC, { ssid: 'home', password: 'x' }, () => {}, 5000)).rejects.toThrow(
      'Wi-Fi: the lock could not join that Wi-Fi network.',
    );
  });

  it('refuses a network name the lock could not take before opening anything', () => {
    expect(() => wifiSettingsPacket('', 'x')).toThrow('1 to 32 bytes');
    expect(() => wifiSettingsPacket('a'.repeat(33), 'x')).toThrow('1 to 32 bytes');
    expect(() => setLockProvisioningPacket({ ...DOC, broker: { ...DOC.broker, port: null, tlsPort: null, tls: null } })).toThrow('WebSocket');
  });
});

import { describe, expect, it } from 'vitest';
import { describeLockConnection, isReachableHost, type LockConnectionSettings } from './lock-connection.js';

const EMBEDDED: LockConnectionSettings = {
  mqtt: { url: undefined, publicHost: undefined, requireTls: false, websockets: false, topicPrefix: 'smartlock' },
  allowedOrigins: [],
  ports: { plain: 1883, tls: 8883 },
  protocolVersion: 2,
};
const external = (url: string, publicHost?: string): LockConnectionSettings => ({
  ...EMBEDDED,
  mqtt: { ...EMBEDDED.mqtt, url, publicHost },
  ports: undefined,
});

describe('the host a lock should dial', () => {
  it('takes the first allowed origin before the request, and says it guessed', () => {
    const settings = { ...EMBEDDED, allowedOrigins: ['https://smartlock.home.example', 'https://other.example'] };
    expect(describeLockConnection(settings, 'http://10.0.0.2:4000')).toMatchObject({ host: 'smartlock.home.example', hostGuessed: true });
    expect(describeLockConnection(EMBEDDED, 'http://10.0.0.2:4000')).toMatchObject({ host: '10.0.0.2', hostGuessed: true });
    expect(describeLockConnection(EMBEDDED, 'http://[fd00::5]:4000')).toMatchObject({ host: 'fd00::5' });
  });

  it("reuses an external broker's host only when a lock elsewhere could dial it", () => {
    expect(describeLockConnection(external('mqtts://broker.home.example:8884'), 'http://app.lan')).toMatchObject({
      host: 'broker.home.example',
      hostGuessed: false,
      plainPort: null,
      tlsPort: 8884,
      tls: 'CERTIFICATE',
    });
    // docker-compose's mqtt://mosquitto:1883 is the compose network's name, and its plain port is not for locks.
    expect(describeLockConnection(external('mqtt://mosquitto:1883'), 'https://smartlock.home.example')).toMatchObject({
      host: 'smartlock.home.example',
      hostGuessed: true,
      plainPort: null,
      tlsPort: 8883,
      tls: 'CERTIFICATE',
    });
    expect(describeLockConnection(external('mqtt://mosquitto:1883', 'mqtt.home.example'), undefined)).toMatchObject({ host: 'mqtt.home.example', hostGuessed: false });
  });

  it('treats single labels, loopback and wildcards as unreachable', () => {
    expect(['mosquitto', 'localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', 'a.localhost'].filter(isReachableHost)).toEqual([]);
    expect(['192.168.1.5', 'fd00::1', 'broker.example'].every(isReachableHost)).toBe(true);
  });
});

describe('ports and transports', () => {
  it('drops the plain port when TLS is required, and TLS when the listener is off', () => {
    expect(describeLockConnection({ ...EMBEDDED, mqtt: { ...EMBEDDED.mqtt, requireTls: true } }, undefined)).toMatchObject({ plainPort: null, tlsPort: 8883, tls: 'PSK' });
    expect(describeLockConnection({ ...EMBEDDED, ports: { plain: 1883, tls: undefined } }, undefined)).toMatchObject({ plainPort: 1883, tlsPort: null, tls: null });
  });

  it('gives the WebSocket URL on the app origin, ws:// for plain http', () => {
    const ws = { ...EMBEDDED, mqtt: { ...EMBEDDED.mqtt, websockets: true } };
    expect(describeLockConnection(ws, 'http://127.0.0.1:4000').webSocketUrl).toBe('ws://127.0.0.1:4000/mqtt');
    expect(describeLockConnection({ ...ws, allowedOrigins: ['https://smartlock.home.example'] }, undefined).webSocketUrl).toBe('wss://smartlock.home.example/mqtt');
    expect(describeLockConnection(EMBEDDED, 'http://127.0.0.1:4000').webSocketUrl).toBeNull();
  });
});

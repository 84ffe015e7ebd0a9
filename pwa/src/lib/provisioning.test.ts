import { describe, expect, it } from 'vitest';
import { connectionFacts, provisioningDocument, provisioningFileName, provisioningText, type LockConnection } from './provisioning';

const SECRET = 'a'.repeat(64);
const EMBEDDED: LockConnection = {
  host: 'smartlock.home.example',
  hostGuessed: false,
  plainPort: 1883,
  tlsPort: 8883,
  tls: 'PSK',
  webSocketUrl: null,
  topicPrefix: 'home/locks',
  protocolVersion: 2,
};

describe('the provisioning file', () => {
  it('holds the id, the secret and the broker settings under a named, versioned format', () => {
    expect(provisioningDocument('front-door', SECRET, EMBEDDED)).toEqual({
      format: 'smartlock-provisioning',
      version: 1,
      deviceId: 'front-door',
      secret: SECRET,
      broker: { host: 'smartlock.home.example', port: 1883, tlsPort: 8883, tls: 'psk', webSocketUrl: null },
      topicPrefix: 'home/locks',
      protocolVersion: 2,
    });
  });

  it('writes certificate TLS, no plain port and the WebSocket URL as they come', () => {
    const external = { ...EMBEDDED, plainPort: null, tls: 'CERTIFICATE' as const, webSocketUrl: 'wss://smartlock.home.example/mqtt' };
    expect(provisioningDocument('front-door', SECRET, external).broker).toEqual({
      host: 'smartlock.home.example',
      port: null,
      tlsPort: 8883,
      tls: 'certificate',
      webSocketUrl: 'wss://smartlock.home.example/mqtt',
    });
    expect(provisioningDocument('front-door', SECRET, { ...EMBEDDED, tlsPort: null, tls: null }).broker.tls).toBeNull();
  });

  it('refuses a secret that is not 64 lowercase hex characters', () => {
    expect(() => provisioningDocument('front-door', 'A'.repeat(64), EMBEDDED)).toThrow(/64 lowercase hex/);
    expect(() => provisioningDocument('front-door', '', EMBEDDED)).toThrow(/64 lowercase hex/);
  });

  it('is pretty JSON with a final newline that parses back, named after the device', () => {
    const document = provisioningDocument('front-door', SECRET, EMBEDDED);
    const text = provisioningText(document);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "deviceId": "front-door",\n');
    expect(JSON.parse(text)).toEqual(document);
    expect(provisioningFileName('front-door')).toBe('smartlock-front-door.json');
  });
});

describe('the broker settings on screen', () => {
  it('lists what applies, with copy buttons for text', () => {
    expect(connectionFacts(EMBEDDED).map((f) => [f.label, f.value, f.copy])).toEqual([
      ['Broker host', 'smartlock.home.example', true],
      ['MQTT port (no TLS)', '1883', false],
      ['MQTT over TLS', 'port 8883, pre-shared key from the secret', false],
      ['Topic prefix', 'home/locks', true],
      ['Protocol version', '2', false],
    ]);
  });

  it('leaves out a missing plain port and TLS, and names certificates and WebSockets', () => {
    const labels = (c: LockConnection) => connectionFacts(c).map((f) => `${f.label}: ${f.value}`);
    expect(labels({ ...EMBEDDED, plainPort: null, tls: 'CERTIFICATE', webSocketUrl: 'wss://h/mqtt' })).toEqual([
      'Broker host: smartlock.home.example',
      'MQTT over TLS: port 8883, broker certificate',
      'MQTT over WebSockets: wss://h/mqtt',
      'Topic prefix: home/locks',
      'Protocol version: 2',
    ]);
    expect(labels({ ...EMBEDDED, tlsPort: null, tls: null })).not.toContain('MQTT over TLS: port 8883, pre-shared key from the secret');
  });
});

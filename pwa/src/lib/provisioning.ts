/**
 * The provisioning file (docs/provisioning.md, format version 1): everything a lock needs in one
 * document for the provisioning tool, instead of a header to compile in.
 */
import type { LockConnectionQuery } from '../gql/graphql';

export type LockConnection = LockConnectionQuery['lockConnection'];

export const PROVISIONING_FORMAT = 'smartlock-provisioning';
export const PROVISIONING_VERSION = 1;

export interface ProvisioningDocument {
  format: typeof PROVISIONING_FORMAT;
  version: typeof PROVISIONING_VERSION;
  deviceId: string;
  /** 64 lowercase hex characters: the lock's K (docs/protocol.md §2). */
  secret: string;
  broker: {
    host: string;
    /** Plain MQTT; null when locks must use TLS. */
    port: number | null;
    tlsPort: number | null;
    tls: 'psk' | 'certificate' | null;
    webSocketUrl: string | null;
  };
  topicPrefix: string;
  protocolVersion: number;
}

const SECRET = /^[0-9a-f]{64}$/;

export function provisioningDocument(deviceId: string, secret: string, connection: LockConnection): ProvisioningDocument {
  // The server always sends this shape; a slip here would hand a lock a file it cannot use.
  if (!SECRET.test(secret)) throw new Error('The device secret must be 64 lowercase hex characters.');
  return {
    format: PROVISIONING_FORMAT,
    version: PROVISIONING_VERSION,
    deviceId,
    secret,
    broker: {
      host: connection.host,
      port: connection.plainPort ?? null,
      tlsPort: connection.tlsPort ?? null,
      tls: connection.tls === 'PSK' ? 'psk' : connection.tls === 'CERTIFICATE' ? 'certificate' : null,
      webSocketUrl: connection.webSocketUrl ?? null,
    },
    topicPrefix: connection.topicPrefix,
    protocolVersion: connection.protocolVersion,
  };
}

/** Pretty-printed with a final newline: the same text is downloaded, shown and copied. */
export function provisioningText(document: ProvisioningDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Device ids are [A-Za-z0-9_-], so the name needs no escaping. */
export function provisioningFileName(deviceId: string): string {
  return `smartlock-${deviceId}.json`;
}

export interface ConnectionFact {
  key: string;
  label: string;
  value: string;
  /** Worth a copy button: text a person would otherwise retype. */
  copy: boolean;
}

/** The broker settings as the credentials screen lists them, leaving out what does not apply. */
export function connectionFacts(connection: LockConnection): ConnectionFact[] {
  const facts: ConnectionFact[] = [{ key: 'host', label: 'Broker host', value: connection.host, copy: true }];
  if (connection.plainPort != null) facts.push({ key: 'plain-port', label: 'MQTT port (no TLS)', value: String(connection.plainPort), copy: false });
  if (connection.tlsPort != null) {
    const kind = connection.tls === 'PSK' ? 'pre-shared key from the secret' : 'broker certificate';
    facts.push({ key: 'tls-port', label: 'MQTT over TLS', value: `port ${connection.tlsPort}, ${kind}`, copy: false });
  }
  if (connection.webSocketUrl) facts.push({ key: 'websocket', label: 'MQTT over WebSockets', value: connection.webSocketUrl, copy: true });
  facts.push({ key: 'prefix', label: 'Topic prefix', value: connection.topicPrefix, copy: true });
  facts.push({ key: 'protocol', label: 'Protocol version', value: String(connection.protocolVersion), copy: false });
  return facts;
}

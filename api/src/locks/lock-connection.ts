/**
 * What a lock needs, besides its device id and secret, to reach the broker: shown on the
 * credentials screen and written into the provisioning file (docs/provisioning.md).
 *
 * The api cannot see the address locks dial (it may sit behind a proxy, and the embedded broker
 * listens on 0.0.0.0), so the host is MQTT_PUBLIC_HOST, else a guess said to be one.
 */
import { isIP } from 'node:net';
import type { Config } from '../config/config.js';

/** How the broker proves itself on the TLS port: the lock's own key (embedded), or a certificate (external). */
export type LockTlsKind = 'PSK' | 'CERTIFICATE';

export interface LockConnectionInfo {
  host: string;
  /** True when the host is a guess from the app's address (MQTT_PUBLIC_HOST unset). */
  hostGuessed: boolean;
  /** Plain MQTT: null when locks may not log in without TLS, or the port is not for locks. */
  plainPort: number | null;
  tlsPort: number | null;
  tls: LockTlsKind | null;
  /** MQTT over WebSockets (MQTT_WEBSOCKETS), on the app's own address. */
  webSocketUrl: string | null;
  topicPrefix: string;
  /** The newest lock protocol this server speaks (docs/protocol.md §11). */
  protocolVersion: number;
}

/** The ports the embedded broker really listens on (differs from the config with port 0). */
export interface BrokerPorts {
  plain: number;
  tls: number | undefined;
}

/** Mosquitto's TLS listener for locks in deploy/mosquitto, when MQTT_URL does not name it. */
export const EXTERNAL_TLS_PORT = 8883;

/**
 * A host a lock elsewhere could dial: an IP address or a dotted name, not loopback. A single label
 * ("mosquitto") is a compose-internal name that only the api's own network resolves.
 */
export function isReachableHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || bare.startsWith('127.')) return false;
  if (bare === '0.0.0.0' || bare === '::') return false;
  return isIP(bare) !== 0 || bare.includes('.');
}

export interface LockConnectionSettings {
  mqtt: Pick<Config['mqtt'], 'url' | 'publicHost' | 'requireTls' | 'websockets' | 'topicPrefix'>;
  /** ALLOWED_ORIGINS: the first is taken as the app's address. */
  allowedOrigins: string[];
  /** Embedded broker only. */
  ports: BrokerPorts | undefined;
  protocolVersion: number;
}

/**
 * `requestOrigin`: the origin the request came to (Host header, or X-Forwarded-Host behind trusted
 * proxies), the last resort for the app's address.
 */
export function describeLockConnection(settings: LockConnectionSettings, requestOrigin: string | undefined): LockConnectionInfo {
  const { mqtt } = settings;
  const appOrigin = settings.allowedOrigins[0] ?? requestOrigin;
  const appHost = appOrigin ? new URL(appOrigin).hostname.replace(/^\[|\]$/g, '') : 'localhost';
  const external = mqtt.url ? new URL(mqtt.url) : undefined;
  const externalHost = external?.hostname.replace(/^\[|\]$/g, '');
  const configured = mqtt.publicHost ?? (externalHost && isReachableHost(externalHost) ? externalHost : undefined);

  const ports = external
    ? { plainPort: null, tlsPort: external.protocol === 'mqtts:' && external.port ? Number(external.port) : EXTERNAL_TLS_PORT, tls: 'CERTIFICATE' as const }
    : {
        plainPort: mqtt.requireTls ? null : (settings.ports?.plain ?? null),
        tlsPort: settings.ports?.tls ?? null,
        tls: settings.ports?.tls !== undefined ? ('PSK' as const) : null,
      };
  return {
    host: configured ?? appHost,
    hostGuessed: configured === undefined,
    ...ports,
    webSocketUrl: mqtt.websockets && appOrigin ? webSocketUrlOf(appOrigin) : null,
    topicPrefix: mqtt.topicPrefix,
    protocolVersion: settings.protocolVersion,
  };
}

function webSocketUrlOf(origin: string): string {
  const url = new URL('/mqtt', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

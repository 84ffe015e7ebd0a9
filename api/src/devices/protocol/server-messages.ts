/**
 * Server → lock payloads in the version negotiated with the lock
 * (docs/protocol.md §11.3, §13): v1 signed with K, v2 and v3 with the `cmd`
 * key. `cmd` and `time` are the same in every version but for `v`; `cfg` exists
 * from v2 on; `welcome` is always `"v":2`.
 */
import type { CommandMessage, TimeMessage } from './messages.js';
import { commandJson, timeJson } from './messages.js';
import { cfgJson, commandV2Json, timeV2Json, welcomeJson, type CfgMessage, type WelcomeMessage } from './messages-v2.js';
import { signPayload } from './signature.js';
import { usesPurposeKeys, type KeyedVersion, type ProtocolVersion } from './versions.js';

/** The key a server → lock message is signed with: K for v1, the `cmd` key from v2 on. */
export interface ServerSigningKeys {
  v1: () => Buffer;
  cmd: () => Buffer;
}

type Body<T> = Omit<T, 'v' | 'type'>;

/** Signs the unsigned JSON of a keyed version (v2, v3) with the `cmd` key. */
export function signKeyed(keys: ServerSigningKeys, unsigned: string): string {
  return signPayload(keys.cmd(), unsigned);
}

export function commandPayload(keys: ServerSigningKeys, version: ProtocolVersion, body: Body<CommandMessage>): string {
  // A v2 or v3 cmd is the v1 cmd with its own "v" (§11.5).
  if (usesPurposeKeys(version)) return signKeyed(keys, commandV2Json({ ...body, v: version, type: 'cmd' }));
  return signPayload(keys.v1(), commandJson({ ...body, v: 1, type: 'cmd' }));
}

export function timePayload(keys: ServerSigningKeys, version: ProtocolVersion, body: Body<TimeMessage>): string {
  if (usesPurposeKeys(version)) return signKeyed(keys, timeV2Json({ ...body, v: version, type: 'time' }));
  return signPayload(keys.v1(), timeJson({ ...body, v: 1, type: 'time' }));
}

export function welcomePayload(keys: ServerSigningKeys, body: Body<WelcomeMessage>): string {
  return signKeyed(keys, welcomeJson({ ...body, v: 2, type: 'welcome' }));
}

export function cfgPayload(keys: ServerSigningKeys, version: KeyedVersion, body: Body<CfgMessage>): string {
  return signKeyed(keys, cfgJson({ ...body, v: version, type: 'cfg' }));
}

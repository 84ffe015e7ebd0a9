/**
 * Server → lock payloads in the version negotiated with the lock
 * (docs/protocol.md §11.3): v1 signed with K, v2 with the `cmd` key. `cmd` and
 * `time` are the same in both but for `v`; `welcome` and `cfg` exist only in v2.
 */
import type { ProtocolVersion } from '../../store/records.js';
import type { CommandMessage, TimeMessage } from './messages.js';
import { commandJson, timeJson } from './messages.js';
import { cfgJson, commandV2Json, timeV2Json, welcomeJson, type CfgMessage, type WelcomeMessage } from './messages-v2.js';
import { signPayload } from './signature.js';

/** The key a server → lock message is signed with: K for v1, the `cmd` key for v2. */
export interface ServerSigningKeys {
  v1: () => Buffer;
  cmd: () => Buffer;
}

type Body<T> = Omit<T, 'v' | 'type'>;

function keyFor(keys: ServerSigningKeys, version: ProtocolVersion): Buffer {
  return version === 2 ? keys.cmd() : keys.v1();
}

export function commandPayload(keys: ServerSigningKeys, version: ProtocolVersion, body: Body<CommandMessage>): string {
  // A v2 cmd is the v1 cmd with "v":2 (§11.5).
  const unsigned = version === 2 ? commandV2Json({ ...body, v: 2, type: 'cmd' }) : commandJson({ ...body, v: 1, type: 'cmd' });
  return signPayload(keyFor(keys, version), unsigned);
}

export function timePayload(keys: ServerSigningKeys, version: ProtocolVersion, body: Body<TimeMessage>): string {
  const unsigned = version === 2 ? timeV2Json({ ...body, v: 2, type: 'time' }) : timeJson({ ...body, v: 1, type: 'time' });
  return signPayload(keyFor(keys, version), unsigned);
}

export function welcomePayload(keys: ServerSigningKeys, body: Body<WelcomeMessage>): string {
  return signPayload(keys.cmd(), welcomeJson({ ...body, v: 2, type: 'welcome' }));
}

export function cfgPayload(keys: ServerSigningKeys, body: Body<CfgMessage>): string {
  return signPayload(keys.cmd(), cfgJson({ ...body, v: 2, type: 'cfg' }));
}

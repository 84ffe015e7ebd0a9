/**
 * The protocol versions and which message types each has (docs/protocol.md
 * §11.4, §13). v2 and v3 share the HKDF purpose keys and the v2 members; v3
 * only adds message types. hello and welcome always travel as `"v":2`: they
 * negotiate, so their form cannot depend on the outcome.
 *
 * A new v3 message type: its schema in messages-v3.ts, its field check in
 * verify-v2.ts (`lockChecks` or `serverChecks`), and its name in the v3 row of
 * `LOCK_TYPES` or `SERVER_TYPES` below.
 */
import type { ProtocolVersion } from '../../store/records.js';

export type { ProtocolVersion };
export const PROTOCOL_VERSIONS = [1, 2, 3] as const satisfies readonly ProtocolVersion[];
/** The versions signed with the HKDF purpose keys. */
export type KeyedVersion = Exclude<ProtocolVersion, 1>;
export const KEYED_VERSIONS: readonly KeyedVersion[] = [2, 3];
export const HIGHEST_VERSION: ProtocolVersion = 3;

export function isProtocolVersion(v: unknown): v is ProtocolVersion {
  return typeof v === 'number' && (PROTOCOL_VERSIONS as readonly number[]).includes(v);
}

/** v2 and every later version: purpose keys, door, source. */
export function usesPurposeKeys(v: ProtocolVersion): v is KeyedVersion {
  return v !== 1;
}

/** The hello's `vers` of a peer that speaks every version up to `max`: "1", "1,2", "1,2,3". */
export function spokenVersions(max: ProtocolVersion): string {
  return PROTOCOL_VERSIONS.filter((v) => v <= max).join(',');
}

/** Lock → server types under each keyed version (the status topic, `status` key). */
export const LOCK_TYPES = {
  2: ['hello', 'status'],
  3: ['status', 'reset'],
} as const satisfies Record<KeyedVersion, readonly string[]>;

/** Server → lock types under each keyed version (the cmd topic, `cmd` key). */
export const SERVER_TYPES = {
  2: ['welcome', 'cmd', 'time', 'cfg'],
  3: ['cmd', 'time', 'cfg', 'rekey', 'update', 'blerev'],
} as const satisfies Record<KeyedVersion, readonly string[]>;

export type LockType = (typeof LOCK_TYPES)[KeyedVersion][number];
export type ServerType = (typeof SERVER_TYPES)[KeyedVersion][number];

/**
 * Message types that exist only from protocol v3 on (docs/protocol.md §13).
 * Each is also named in versions.ts (its version's row) and checked in
 * verify-v2.ts. v3's other messages are v2's with `"v":3` (messages-v2.ts).
 */
import { z } from 'zod';
import { COMMAND_ID_PATTERN, DEVICE_ID_PATTERN } from './limits.js';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The api names its rekeys `rekey-<uuid>`: an ack says it answers one (cfgs are `cfg-…`, commands bare UUIDs). */
export const REKEY_ID_PREFIX = 'rekey-';

/**
 * Server → lock (§13.3): the new device secret K', encrypted under the current K. `ctr` comes
 * from the same counter as commands; `key` is hex(K' XOR pad), pad = HKDF of K for this `id`
 * (rekey-key.ts).
 */
export const rekeyMessage = z.strictObject({
  v: z.literal(3),
  type: z.literal('rekey'),
  dev: z.string().regex(DEVICE_ID_PATTERN),
  id: z.string().regex(COMMAND_ID_PATTERN),
  ctr: positive,
  ts: count,
  key: z.string().regex(/^[0-9a-f]{64}$/),
});
export type RekeyMessage = z.infer<typeof rekeyMessage>;

/** Unsigned JSON in the reference member order. */
export function rekeyJson(m: RekeyMessage): string {
  const { v, type, dev, id, ctr, ts, key } = m;
  return JSON.stringify({ v, type, dev, id, ctr, ts, key });
}

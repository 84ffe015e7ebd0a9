/**
 * Decides what a lock does with a payload on its cmd topic, mirroring the firmware's
 * command_verifier + LockController::reject: execute, answer with a named rejection,
 * or drop without a word. Pure: the caller supplies the persisted counter and the time.
 */
import { COMMAND_ID_PATTERN, MAX_CLOCK_SKEW_SECONDS } from '../devices/protocol/limits.js';
import { type CommandMessage } from '../devices/protocol/messages.js';
import { openEnvelope } from '../devices/protocol/signature.js';
import type { CommandMessageV2 } from '../devices/protocol/messages-v2.js';
import { decodePayload, verifyCommand, type Verdict, type Verified } from '../devices/protocol/verify.js';
import { verifyFromServerV2 } from '../devices/protocol/verify-v2.js';
import { usesPurposeKeys, type ProtocolVersion } from '../devices/protocol/versions.js';

export type RejectReason = 'replay' | 'stale' | 'malformed';
export type AnyCommand = CommandMessage | CommandMessageV2;

export type CommandDecision =
  | { kind: 'execute'; verdict: 'valid'; cmd: AnyCommand }
  | { kind: 'reject'; verdict: Verdict; id: string; reason: RejectReason; cmd?: AnyCommand }
  /** Not provably from the server (bad signature, no envelope) or no id to answer to. */
  | { kind: 'drop'; verdict: Verdict; detail: string };

export interface CommandContext {
  /** K in v1; the `cmd` key once a welcome chose v2 or v3 (docs/protocol.md §11.3). */
  key: Buffer;
  /** The version negotiated on this connection. @default 1 */
  version?: ProtocolVersion;
  deviceId: string;
  /** Last accepted ctr, as persisted. */
  lastCtr: number;
  /** Unix seconds, or null while the lock has no time (then, as in v1, `ts` is not checked). */
  nowS: number | null;
}

// Finds `"id":"…"` as a top-level member when the body is not valid JSON, as the
// firmware's scanner keeps an id read before the syntax error.
const RAW_ID = /(?:^\{|,)"id":"([A-Za-z0-9-]{1,64})"(?=[,}])/;

/** The id of a correctly signed but unusable command, or null if none can be read. */
function signedCommandId(key: Buffer, payload: string): string | null {
  const envelope = openEnvelope(key, payload);
  if (!envelope.ok) return null;
  try {
    const body = JSON.parse(envelope.unsigned) as unknown;
    if (typeof body === 'object' && body !== null && 'id' in body) {
      const { id } = body;
      return typeof id === 'string' && COMMAND_ID_PATTERN.test(id) ? id : null;
    }
    return null;
  } catch {
    return RAW_ID.exec(envelope.unsigned)?.[1] ?? null;
  }
}

export function decideCommand(ctx: CommandContext, bytes: Uint8Array): CommandDecision {
  const payload = decodePayload(bytes);
  if (payload === null) return { kind: 'drop', verdict: 'malformed', detail: 'oversized or not UTF-8' };
  const version = ctx.version ?? 1;
  const verified: Verified<AnyCommand> = usesPurposeKeys(version) ? verifyFromServerV2(ctx.key, payload, ctx.deviceId, ['cmd'], [version]) : verifyCommand(ctx.key, payload, ctx.deviceId);
  if (verified.verdict !== 'valid') {
    // No reply to anything that did not prove it came from the server.
    if (verified.verdict === 'bad_signature') return { kind: 'drop', verdict: verified.verdict, detail: verified.detail };
    const id = signedCommandId(ctx.key, payload);
    if (id === null) return { kind: 'drop', verdict: verified.verdict, detail: verified.detail };
    // Bad version, wrong type and wrong device of a signed message are, to the server, malformed.
    return { kind: 'reject', verdict: verified.verdict, id, reason: 'malformed' };
  }
  const cmd = verified.message;
  if (cmd.ctr <= ctx.lastCtr) return { kind: 'reject', verdict: 'valid', id: cmd.id, reason: 'replay', cmd };
  if (ctx.nowS !== null && Math.abs(ctx.nowS - cmd.ts) > MAX_CLOCK_SKEW_SECONDS) return { kind: 'reject', verdict: 'valid', id: cmd.id, reason: 'stale', cmd };
  return { kind: 'execute', verdict: 'valid', cmd };
}

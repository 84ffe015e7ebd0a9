/**
 * The one typed contract for protocol v1 payloads (see docs/protocol.md).
 * Unknown members make a message malformed: a v1 peer cannot know what they mean.
 */
import { z } from 'zod';
import { COMMAND_ID_PATTERN, DEVICE_ID_PATTERN, MAX_FIRMWARE_LENGTH, MAX_ISSUE_LENGTH, MAX_REASON_LENGTH } from './limits.js';

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const deviceId = z.string().regex(DEVICE_ID_PATTERN);

export const commandMessage = z.strictObject({
  v: z.literal(1),
  type: z.literal('cmd'),
  dev: deviceId,
  id: z.string().regex(COMMAND_ID_PATTERN),
  action: z.enum(['LOCK', 'UNLOCK']),
  ctr: positive,
  ts: count,
});
export type CommandMessage = z.infer<typeof commandMessage>;

export const ackMessage = z
  .strictObject({
    id: z.string().regex(COMMAND_ID_PATTERN),
    result: z.enum(['ok', 'rejected', 'failed']),
    reason: z.string().max(MAX_REASON_LENGTH).optional(),
  })
  // A command that worked has no reason: `{"result":"ok","reason":"replay"}` would say both.
  .refine((ack) => ack.result !== 'ok' || ack.reason === undefined);
export type AckMessage = z.infer<typeof ackMessage>;

export const statusMessage = z.strictObject({
  v: z.literal(1),
  type: z.literal('status'),
  dev: deviceId,
  boot: positive,
  seq: positive,
  status: z.enum(['LOCKED', 'UNLOCKED', 'JAMMED', 'UNKNOWN']),
  ctr: count,
  ts: count,
  uptime: count.optional(),
  rssi: z.number().int().min(-200).max(0).optional(),
  battery: z.number().int().min(0).max(100).optional(),
  power: z.enum(['MAINS', 'BATTERY', 'LOW']).optional(),
  issue: z.string().max(MAX_ISSUE_LENGTH).optional(),
  fw: z.string().max(MAX_FIRMWARE_LENGTH).optional(),
  ack: ackMessage.optional(),
});
export type StatusMessage = z.infer<typeof statusMessage>;

/**
 * Server → lock on the cmd topic: the server's clock, answering the status
 * (boot, seq) it echoes, so a lock can take its time from a signed message
 * instead of unauthenticated SNTP (docs/protocol.md §7a). A v1 lock that does
 * not know it drops it silently: it is signed but of another type and has no `id`.
 */
export const timeMessage = z.strictObject({
  v: z.literal(1),
  type: z.literal('time'),
  dev: deviceId,
  boot: positive,
  seq: positive,
  ts: positive,
});
export type TimeMessage = z.infer<typeof timeMessage>;

/** Builds the unsigned time JSON in its canonical member order. */
export function timeJson(message: TimeMessage): string {
  const { v, type, dev, boot, seq, ts } = message;
  return JSON.stringify({ v, type, dev, boot, seq, ts });
}

/** Builds the unsigned cmd JSON in the member order of the worked example. */
export function commandJson(message: CommandMessage): string {
  const { v, type, dev, id, action, ctr, ts } = message;
  return JSON.stringify({ v, type, dev, id, action, ctr, ts });
}

/** Builds the unsigned status JSON in the canonical member order (what the firmware emits). */
export function statusJson(message: StatusMessage): string {
  const { v, type, dev, boot, seq, status, ctr, ts, uptime, rssi, battery, power, issue, fw, ack } = message;
  return JSON.stringify({ v, type, dev, boot, seq, status, ctr, ts, uptime, rssi, battery, power, issue, fw, ack });
}

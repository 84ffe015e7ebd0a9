/**
 * Verifies a received payload in the protocol's order: envelope form and HMAC
 * first (nothing is trusted before), then version, type, device, and fields.
 */
import { MAX_PAYLOAD_BYTES } from './limits.js';
import { commandMessage, timeMessage, type CommandMessage, type StatusMessage, type TimeMessage } from './messages.js';
import { checkStatus } from './status-validator.js';
import { openEnvelope } from './signature.js';
import { isCompactUniqueJson } from './strict-json.js';

export type Verdict = 'valid' | 'bad_signature' | 'malformed' | 'wrong_device' | 'wrong_type' | 'bad_version';
export type Rejection = Exclude<Verdict, 'valid'>;

export type Verified<T> = { verdict: 'valid'; message: T } | { verdict: Rejection; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8 within the size limit, or null. */
export function decodePayload(bytes: Uint8Array): string | null {
  if (bytes.byteLength > MAX_PAYLOAD_BYTES) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

export type FieldCheck<T> = (body: unknown) => { ok: true; message: T } | { ok: false; detail: string };

/** Adapts a zod schema to a field check whose error names the first bad field. */
export function zodCheck<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): FieldCheck<T> {
  return (body) => {
    const parsed = schema.safeParse(body);
    if (parsed.success) return { ok: true, message: parsed.data };
    const issue = parsed.error.issues[0];
    return { ok: false, detail: `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}` };
  };
}

/** What the verifier expects: the types allowed on this topic under each version it takes, and their fields. */
export interface Expectation<T> {
  /** e.g. `{ 1: ['cmd'] }`; a `v` that is not a key here is `bad_version`, a type not listed under it `wrong_type`. */
  typesByVersion: Readonly<Partial<Record<number, readonly string[]>>>;
  checkFields: FieldCheck<T>;
}

/** The §4 check order for any version: size, suffix, HMAC under `key`, form, v, type, dev, members. */
export function verifyMessage<T>(key: Buffer, payload: string, topicDevice: string, expected: Expectation<T>): Verified<T> {
  if (payload.length > MAX_PAYLOAD_BYTES) return { verdict: 'malformed', detail: 'payload too large' };
  const envelope = openEnvelope(key, payload);
  if (!envelope.ok) return { verdict: envelope.reason, detail: envelope.reason === 'malformed' ? 'no signature suffix' : 'signature mismatch' };
  if (!isCompactUniqueJson(envelope.unsigned)) return { verdict: 'malformed', detail: 'not compact JSON with unique members' };
  let body: unknown;
  try {
    body = JSON.parse(envelope.unsigned);
  } catch {
    return { verdict: 'malformed', detail: 'invalid JSON' };
  }
  if (typeof body !== 'object' || body === null) return { verdict: 'malformed', detail: 'not an object' };
  const fields = body as Record<string, unknown>;
  if (fields.v === undefined || fields.type === undefined || fields.dev === undefined) {
    return { verdict: 'malformed', detail: 'v, type and dev are required' };
  }
  const types = typeof fields.v === 'number' && Object.hasOwn(expected.typesByVersion, fields.v) ? expected.typesByVersion[fields.v] : undefined;
  if (!types) return { verdict: 'bad_version', detail: `v=${JSON.stringify(fields.v)}` };
  if (typeof fields.type !== 'string' || !types.includes(fields.type)) return { verdict: 'wrong_type', detail: `type=${JSON.stringify(fields.type)}` };
  if (fields.dev !== topicDevice) return { verdict: 'wrong_device', detail: 'dev does not match the topic' };
  const checked = expected.checkFields(body);
  return checked.ok ? { verdict: 'valid', message: checked.message } : { verdict: 'malformed', detail: checked.detail };
}

// v1's expectations, built once: every heartbeat is verified against the first.
const STATUS_V1: Expectation<StatusMessage> = { typesByVersion: { 1: ['status'] }, checkFields: checkStatus };
const COMMAND_V1: Expectation<CommandMessage> = { typesByVersion: { 1: ['cmd'] }, checkFields: zodCheck(commandMessage) };
const TIME_V1: Expectation<TimeMessage> = { typesByVersion: { 1: ['time'] }, checkFields: zodCheck(timeMessage) };

export function verifyStatus(key: Buffer, payload: string, topicDevice: string): Verified<StatusMessage> {
  return verifyMessage(key, payload, topicDevice, STATUS_V1);
}

export function verifyCommand(key: Buffer, payload: string, topicDevice: string): Verified<CommandMessage> {
  return verifyMessage(key, payload, topicDevice, COMMAND_V1);
}

/** A server → lock `time` message (what a lock, or the simulator, checks before taking the time). */
export function verifyTime(key: Buffer, payload: string, topicDevice: string): Verified<TimeMessage> {
  return verifyMessage(key, payload, topicDevice, TIME_V1);
}

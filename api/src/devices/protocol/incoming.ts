/**
 * Tells v1 from v2/v3 on a lock's status topic without trusting anything first
 * (docs/protocol.md §11.2): a payload whose HMAC matches under the lock's
 * `status` key is checked by the v2 rules, otherwise under K by the v1 rules.
 * The lock's stored version only picks which HMAC to try first.
 */
import type { ProtocolVersion } from '../../store/records.js';
import type { StatusMessage } from './messages.js';
import type { HelloMessage, ResetMessage, StatusMessageV2 } from './messages-v2.js';
import { verifyStatus, type Verified } from './verify.js';
import { verifyFromLockV2 } from './verify-v2.js';
import { usesPurposeKeys } from './versions.js';

export type IncomingMessage = StatusMessage | StatusMessageV2 | HelloMessage | ResetMessage;

export interface LockKeys {
  /** K, for v1. */
  v1: () => Buffer;
  /** The HKDF `status` key, for v2 and v3. */
  status: () => Buffer;
}

export function verifyIncoming(keys: LockKeys, payload: string, topicDevice: string, likely: ProtocolVersion): Verified<IncomingMessage> {
  const asV1 = () => verifyStatus(keys.v1(), payload, topicDevice);
  const asV2 = () => verifyFromLockV2(keys.status(), payload, topicDevice, ['hello', 'status', 'reset']);
  const [first, second] = usesPurposeKeys(likely) ? [asV2, asV1] : [asV1, asV2];
  const result: Verified<IncomingMessage> = first();
  return result.verdict === 'bad_signature' ? second() : result;
}

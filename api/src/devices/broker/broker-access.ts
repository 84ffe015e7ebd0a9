/**
 * Who may do what on the embedded broker (protocol v1, "Topics"): the api's
 * own account may use anything under the prefix; a lock may subscribe only to
 * its own `cmd` and publish only to its own `status` and `availability`.
 * Pure rules, kept apart from the aedes wiring so they read as the policy.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Topics } from '../protocol/topics.js';

/** `claim`: an unclaimed lock, which may use only its own claim topic (docs/protocol.md "Claiming"). */
export type BrokerIdentity = { kind: 'server' } | { kind: 'device'; deviceId: string } | { kind: 'claim'; factoryId: string };

/** The broker username (and client id) of an unclaimed lock: `claim-<factory id>`. */
export const CLAIM_USERNAME_PATTERN = /^claim-([0-9a-f]{16})$/;

/** A stable key per account: two connections with the same key are the same principal. */
export function identityKey(identity: BrokerIdentity): string {
  if (identity.kind === 'server') return 'server';
  return identity.kind === 'device' ? `device:${identity.deviceId}` : `claim:${identity.factoryId}`;
}

/**
 * MQTT wildcards and the level separator have no business in a username or a
 * client id; brokers that substituted them into ACL patterns let a client
 * widen its own rights (Mosquitto CVE-2017-7650).
 */
export function hasTopicMetacharacters(text: string): boolean {
  return /[+#/]/.test(text);
}

/**
 * Constant-time equality for a credential of any length: hashing first gives
 * timingSafeEqual equal-length inputs, so neither content nor length leaks.
 */
export function sameSecret(given: Buffer | string | undefined, expected: string): boolean {
  const digest = (value: Buffer | string) => createHash('sha256').update(value).digest();
  const equal = timingSafeEqual(digest(given ?? ''), digest(expected));
  return given !== undefined && equal;
}

export class BrokerAccess {
  constructor(private readonly topics: Topics) {}

  mayPublish(who: BrokerIdentity, topic: string): boolean {
    if (who.kind === 'server') return this.underPrefix(topic);
    if (who.kind === 'claim') return topic === this.topics.claimHello(who.factoryId);
    return topic === this.topics.of(who.deviceId, 'status') || topic === this.topics.of(who.deviceId, 'availability');
  }

  /**
   * Locks get their own `cmd` by exact name only: no wildcard, even one that
   * would match nothing else today. `$share/...` is refused for everyone:
   * aedes would treat it as a literal topic that never matches, so a silent
   * success would hide a misconfiguration (the embedded broker serves one api).
   */
  maySubscribe(who: BrokerIdentity, filter: string): boolean {
    if (who.kind === 'server') return this.underPrefix(filter);
    if (who.kind === 'claim') return filter === this.topics.claim(who.factoryId);
    return filter === this.topics.of(who.deviceId, 'cmd');
  }

  /** Defence in depth behind maySubscribe: what a connection may be sent at all. */
  mayReceive(who: BrokerIdentity, topic: string): boolean {
    if (who.kind === 'server') return this.underPrefix(topic);
    if (who.kind === 'claim') return topic === this.topics.claim(who.factoryId);
    return topic === this.topics.of(who.deviceId, 'cmd');
  }

  private underPrefix(topic: string): boolean {
    return topic.startsWith(`${this.topics.prefix}/`);
  }
}

import { DEVICE_ID_PATTERN } from './limits.js';

export type TopicKind = 'cmd' | 'status' | 'availability';

/** Topic names under a prefix P: `P/<deviceId>/<kind>`. */
export class Topics {
  constructor(readonly prefix: string) {}

  of(deviceId: string, kind: TopicKind): string {
    return `${this.prefix}/${deviceId}/${kind}`;
  }

  /** Wildcard the api subscribes to for one kind, across devices. */
  all(kind: TopicKind): string {
    return `${this.prefix}/+/${kind}`;
  }

  /** An unclaimed lock's topic (docs/protocol.md "Claiming"): the server's retained claim message. */
  claim(factoryId: string): string {
    return `${this.prefix}/claim/${factoryId}`;
  }

  /** Where an unclaimed lock announces itself. */
  claimHello(factoryId: string): string {
    return `${this.claim(factoryId)}/hello`;
  }

  /** The factory id of a claim hello topic; null for anything else. */
  parseClaimHello(topic: string): string | null {
    const match = /^([0-9a-f]{16})\/hello$/.exec(topic.startsWith(`${this.prefix}/claim/`) ? topic.slice(this.prefix.length + 7) : '');
    return match?.[1] ?? null;
  }

  /** Splits a received topic; null if it is not ours or the device id is invalid. */
  parse(topic: string): { deviceId: string; kind: TopicKind } | null {
    if (!topic.startsWith(`${this.prefix}/`)) return null;
    const [deviceId, kind, ...rest] = topic.slice(this.prefix.length + 1).split('/');
    if (rest.length > 0 || !deviceId || !DEVICE_ID_PATTERN.test(deviceId)) return null;
    if (kind !== 'cmd' && kind !== 'status' && kind !== 'availability') return null;
    return { deviceId, kind };
  }
}

import { DEVICE_ID_PATTERN } from './limits.js';

const SLASH = 0x2f;

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
    // Every message's topic comes through here: positions, not a split and a prefix copy.
    const idAt = this.prefix.length + 1;
    if (topic.charCodeAt(idAt - 1) !== SLASH || !topic.startsWith(this.prefix)) return null;
    const kindAt = topic.indexOf('/', idAt) + 1;
    if (kindAt === 0 || topic.includes('/', kindAt)) return null;
    const deviceId = topic.slice(idAt, kindAt - 1);
    const kind = topic.slice(kindAt);
    if (!DEVICE_ID_PATTERN.test(deviceId)) return null;
    if (kind !== 'cmd' && kind !== 'status' && kind !== 'availability') return null;
    return { deviceId, kind };
  }
}

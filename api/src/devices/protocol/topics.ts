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

  /** Splits a received topic; null if it is not ours or the device id is invalid. */
  parse(topic: string): { deviceId: string; kind: TopicKind } | null {
    if (!topic.startsWith(`${this.prefix}/`)) return null;
    const [deviceId, kind, ...rest] = topic.slice(this.prefix.length + 1).split('/');
    if (rest.length > 0 || !deviceId || !DEVICE_ID_PATTERN.test(deviceId)) return null;
    if (kind !== 'cmd' && kind !== 'status' && kind !== 'availability') return null;
    return { deviceId, kind };
  }
}

import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { LockConnectionInfo } from './lock-connection.js';

export enum LockTls {
  PSK = 'PSK',
  CERTIFICATE = 'CERTIFICATE',
}
registerEnumType(LockTls, {
  name: 'LockTls',
  description: 'How the broker proves itself on the TLS port. PSK: the key derived from the lock\'s secret (embedded broker, docs/protocol.md §12.1). CERTIFICATE: a certificate the lock checks against its CA (external broker).',
});

@ObjectType({ description: 'What a lock needs, besides its device id and secret, to reach the broker (docs/provisioning.md).' })
export class LockConnection {
  @Field({ description: 'Host name or address locks dial: MQTT_PUBLIC_HOST, else guessed (see hostGuessed).' })
  host!: string;

  @Field({ description: 'True when host is a guess from the app\'s address because MQTT_PUBLIC_HOST is unset: check it before putting it into a lock.' })
  hostGuessed!: boolean;

  @Field(() => Int, { nullable: true, description: 'Plain MQTT port; null when locks must use TLS (MQTT_REQUIRE_TLS, or an external broker).' })
  plainPort!: number | null;

  @Field(() => Int, { nullable: true, description: 'MQTT over TLS; null when the broker has no TLS listener.' })
  tlsPort!: number | null;

  @Field(() => LockTls, { nullable: true, description: 'How the TLS port is secured; null without one.' })
  tls!: LockTls | null;

  @Field(() => String, { nullable: true, description: 'MQTT over WebSockets (MQTT_WEBSOCKETS), e.g. wss://smartlock.home.example/mqtt; null when off.' })
  webSocketUrl!: string | null;

  @Field({ description: 'MQTT_TOPIC_PREFIX: topics are <prefix>/<deviceId>/cmd|status|availability.' })
  topicPrefix!: string;

  @Field(() => Int, { description: 'The newest lock protocol version this server speaks; a lock may start with 1 (docs/protocol.md §11.3).' })
  protocolVersion!: number;

  static from(info: LockConnectionInfo): LockConnection {
    return Object.assign(new LockConnection(), { ...info, tls: info.tls === null ? null : LockTls[info.tls] });
  }
}

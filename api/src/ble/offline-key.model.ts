import { Field, ID, ObjectType } from 'type-graphql';
import type { IssuedOfflineKey } from './offline-keys.js';

@ObjectType({
  description:
    'A Bluetooth offline key (docs/protocol.md, BLE section): a capability signed for one lock, one person and a window of hours. The app keeps `capability` and `secret` until `notAfter` and proves it holds the secret to the lock over Bluetooth; it never sends the secret.',
})
export class OfflineKey {
  @Field(() => ID, { description: 'kid: 16 lowercase hex.' })
  keyId!: string;

  @Field(() => ID, { description: "The lock's device id." })
  lockId!: string;

  @Field(() => ID, { description: 'The device id as the capability names it (`dev`): the same as lockId.' })
  deviceId!: string;

  @Field(() => ID, { description: "The key holder's user id (`uid`)." })
  userId!: string;

  @Field({ description: '`act`: L lock only, U unlock only, LU both.' })
  actions!: string;

  @Field({ description: '`nb` (the capability holds it in unix seconds).' })
  notBefore!: Date;

  @Field({ description: '`na`: the lock refuses the key from then on, by its own clock.' })
  notAfter!: Date;

  @Field({ description: 'C, the exact compact JSON the lock recomputes: keep it byte for byte.' })
  capability!: string;

  @Field({ description: 's = HMAC-SHA256(key("ble"), C), 64 lowercase hex: sign Bluetooth requests with it; never send it.' })
  secret!: string;

  static from({ key, capability, secret }: IssuedOfflineKey): OfflineKey {
    return Object.assign(new OfflineKey(), {
      keyId: key.kid,
      lockId: key.deviceId,
      deviceId: key.deviceId,
      userId: key.userId,
      actions: key.act,
      notBefore: new Date(key.nb * 1000),
      notAfter: new Date(key.na * 1000),
      capability,
      secret,
    });
  }
}

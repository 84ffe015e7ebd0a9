import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { LockTransferState } from '../store/lock-transfer-records.js';
import { Lock } from './lock.model.js';
import type { AcceptedTransfer, TransferOffer } from './lock-transfers.service.js';

export enum LockTransferOfferState {
  OPEN = 'OPEN',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(LockTransferOfferState, { name: 'LockTransferOfferState' });

export enum SecretAfterTransfer {
  OVER_THE_AIR = 'OVER_THE_AIR',
  NEEDS_NEW_SECRET = 'NEEDS_NEW_SECRET',
}
registerEnumType(SecretAfterTransfer, {
  name: 'SecretAfterTransfer',
  description:
    "OVER_THE_AIR: the lock is changing its secret over the air (secretRotation on the lock shows it), so what the former owner knew of the old one stops working. NEEDS_NEW_SECRET: the lock cannot take one over the air (secretNote says why): issue one with rotateDeviceSecret and flash it.",
});

@ObjectType({ description: 'An offer of a lock from its owner to another user. Open offers expire (LOCK_TRANSFER_OFFER_TTL, 7 days by default).' })
export class LockTransferOffer {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  deviceId!: string;

  @Field({ description: "The lock's name as it is now." })
  lockName!: string;

  @Field()
  fromUsername!: string;

  @Field()
  toUsername!: string;

  @Field(() => LockTransferOfferState, { description: 'An OPEN offer past expiresAt reads EXPIRED.' })
  state!: LockTransferOfferState;

  @Field()
  createdAt!: Date;

  @Field()
  expiresAt!: Date;

  static from({ offer, lockName }: TransferOffer, now: number = Date.now()): LockTransferOffer {
    const state: LockTransferState = offer.state === 'OPEN' && offer.expiresAt.getTime() <= now ? 'EXPIRED' : offer.state;
    return Object.assign(new LockTransferOffer(), {
      id: offer.id,
      deviceId: offer.deviceId,
      lockName,
      fromUsername: offer.fromUser,
      toUsername: offer.toUser,
      state: LockTransferOfferState[state],
      createdAt: offer.createdAt,
      expiresAt: offer.expiresAt,
    });
  }
}

@ObjectType({ description: 'Open offers you made and received.' })
export class LockTransferOffers {
  @Field(() => [LockTransferOffer])
  made!: LockTransferOffer[];

  @Field(() => [LockTransferOffer])
  received!: LockTransferOffer[];
}

@ObjectType({ description: 'The lock is yours now.' })
export class LockTransferAcceptance {
  @Field(() => Lock)
  lock!: Lock;

  @Field(() => SecretAfterTransfer)
  secret!: SecretAfterTransfer;

  @Field(() => String, { nullable: true, description: 'Why the lock needs a new secret flashed (NEEDS_NEW_SECRET).' })
  secretNote!: string | null;

  static from(accepted: AcceptedTransfer): LockTransferAcceptance {
    return Object.assign(new LockTransferAcceptance(), { lock: Lock.from(accepted.lock), secret: SecretAfterTransfer[accepted.secret.rotation], secretNote: accepted.secret.why });
  }
}

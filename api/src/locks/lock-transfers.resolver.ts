import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver, Root, Subscription, type SubscriptionHandlerData } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import type { AppEvents } from '../events/events.js';
import { sessionViewerOf, viewerOf } from '../graphql/auth-checker.js';
import { LockTransferAcceptance, LockTransferOffer, LockTransferOffers } from './lock-transfer.model.js';

type TransferEvent = AppEvents['lock.transferChanged'];

@Resolver()
export class LockTransfersResolver {
  @Authorized()
  @Query(() => LockTransferOffers, { description: 'Open offers of locks you made and received (expired ones and those of locks that changed hands another way are left out).' })
  async lockTransferOffers(@Ctx() ctx: GraphQLContext): Promise<LockTransferOffers> {
    const { made, received } = await ctx.services.lockTransfers.list(viewerOf(ctx));
    return Object.assign(new LockTransferOffers(), { made: made.map((o) => LockTransferOffer.from(o)), received: received.map((o) => LockTransferOffer.from(o)) });
  }

  @Authorized()
  @Mutation(() => LockTransferOffer, {
    description:
      "Offers your lock to another user, who may accept or decline it until it expires. One open offer per lock. BAD_USER_INPUT for yourself, a username nobody has, or a lock already offered; FORBIDDEN for an admin offering someone else's lock (reassignLock does that). Needs a recent password check (STEP_UP_REQUIRED).",
  })
  async offerLockTransfer(@Arg('deviceId', () => ID) deviceId: string, @Arg('toUsername') toUsername: string, @Ctx() ctx: GraphQLContext): Promise<LockTransferOffer> {
    await ctx.services.stepUp.require(sessionViewerOf(ctx));
    return LockTransferOffer.from(await ctx.services.lockTransfers.offer(viewerOf(ctx), deviceId, toUsername));
  }

  @Authorized()
  @Mutation(() => LockTransferOffer, { description: 'Withdraws an open offer you made. NOT_FOUND for an offer that is not yours.' })
  async cancelLockTransfer(@Arg('offerId', () => ID) offerId: string, @Ctx() ctx: GraphQLContext): Promise<LockTransferOffer> {
    return LockTransferOffer.from(await ctx.services.lockTransfers.cancel(viewerOf(ctx), offerId));
  }

  @Authorized()
  @Mutation(() => LockTransferOffer, { description: 'Declines an open offer made to you. NOT_FOUND for an offer not made to you.' })
  async declineLockTransfer(@Arg('offerId', () => ID) offerId: string, @Ctx() ctx: GraphQLContext): Promise<LockTransferOffer> {
    return LockTransferOffer.from(await ctx.services.lockTransfers.decline(viewerOf(ctx), offerId));
  }

  @Authorized()
  @Mutation(() => LockTransferAcceptance, {
    description:
      "Accepts an open offer made to you: the lock is yours at once, the former owner's access, pending commands and shares end, and its secret is rotated over the air when the lock can take it (otherwise `secret` says to flash a new one). Your history of the lock starts now. NOT_FOUND for an offer not made to you; BAD_USER_INPUT when it is no longer open.",
  })
  async acceptLockTransfer(@Arg('offerId', () => ID) offerId: string, @Ctx() ctx: GraphQLContext): Promise<LockTransferAcceptance> {
    return LockTransferAcceptance.from(await ctx.services.lockTransfers.accept(viewerOf(ctx), offerId));
  }

  @Authorized()
  @Subscription(() => LockTransferOffer, {
    description: 'Offers you made or received as they are made, cancelled, declined or accepted.',
    topics: 'lock.transferChanged',
    filter: ({ payload, context }: SubscriptionHandlerData<TransferEvent, object, GraphQLContext>) => {
      const viewer = context.viewer?.user.username;
      return viewer !== undefined && (payload.offer.fromUser === viewer || payload.offer.toUser === viewer);
    },
  })
  lockTransferChanged(@Root() event: TransferEvent): LockTransferOffer {
    return LockTransferOffer.from(event);
  }
}

import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription, type SubscribeResolverData, type SubscriptionHandlerData } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { BadUserInputError } from '../errors/graphql-errors.js';
import type { AppEvents } from '../events/events.js';
import { filterEventsAsync } from '../events/filter-events.js';
import { pageSize } from '../graphql/connection.js';
import { withCursorErrors } from '../graphql/cursor-errors.js';
import { sessionViewerOf, viewerOf } from '../graphql/auth-checker.js';
import { LockAccessLost } from './lock-access-lost.model.js';
import { canSeeLock, lostAccess } from './lock-access.js';
import { Lock, LockRegistration } from './lock.model.js';
import type { Registration } from './locks.service.js';

function toRegistration(registration: Registration): LockRegistration {
  return Object.assign(new LockRegistration(), { ...registration, lock: Lock.from(registration.lock) });
}

interface LockChangedArgs {
  deviceId?: string | null;
}

/**
 * The owner and admins follow a lock without a lookup (answered at once, no promise: this runs for
 * every change and every feed); anyone else only through a share, looked up in the share directory
 * (cached per person, forgotten when their shares change), not the store.
 */
function mayFollow(context: GraphQLContext, lock: AppEvents['lock.changed']): boolean | Promise<boolean> {
  const viewer = context.viewer?.user;
  if (!viewer) return false;
  if (canSeeLock(viewer, lock)) return true;
  return context.services.shareDirectory.shareOf(viewer.username, lock.deviceId).then((share) => share !== null);
}

@Resolver()
export class LocksResolver {
  @Authorized()
  @Query(() => [Lock], {
    description:
      'Your locks, then those shared with you (`myRole` says which); admins: every lock, in device id order. All of them without `first`; with it, at most `first` (1–100) after the lock `after` (the last device id of the previous page; fewer than `first` means the end).',
  })
  async locks(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => ID, { nullable: true }) after?: string,
  ): Promise<Lock[]> {
    const viewer = viewerOf(ctx);
    if (first === undefined || first === null) {
      if (after !== undefined && after !== null) throw new BadUserInputError('after needs first.', 'after');
      return (await ctx.services.locks.list(viewer)).map((l) => Lock.from(l));
    }
    const size = pageSize(first);
    return (await withCursorErrors(() => ctx.services.locks.listPage(viewer, size, after || undefined))).map((l) => Lock.from(l));
  }

  @Authorized()
  @Query(() => Lock, { description: 'NOT_FOUND when missing or not yours.' })
  async lock(@Arg('deviceId', () => ID) deviceId: string, @Ctx() ctx: GraphQLContext): Promise<Lock> {
    return Lock.from(await ctx.services.locks.get(viewerOf(ctx), deviceId, 'view'));
  }

  @Authorized()
  @Mutation(() => LockRegistration, { description: 'Registers a lock you own. The device secret is returned only here (and on rotation).' })
  async registerLock(@Arg('deviceId', () => ID) deviceId: string, @Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<LockRegistration> {
    return toRegistration(await ctx.services.locks.register(viewerOf(ctx), deviceId, name));
  }

  @Authorized()
  @Mutation(() => Lock, {
    description:
      'Claims a lock with the code on its box (docs/protocol.md "Claiming"): the server picks its device id and secret and sends them to the lock, which then comes online. BAD_USER_INPUT for a mistyped code or one no waiting lock answers to, ALREADY_CLAIMED when the lock has an owner, TOO_MANY_ATTEMPTS after repeated failures.',
  })
  async claimLock(@Arg('code') code: string, @Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Lock> {
    return Lock.from(await ctx.services.claims.claim(viewerOf(ctx), code, name));
  }

  @Authorized()
  @Mutation(() => Lock)
  async renameLock(@Arg('deviceId', () => ID) deviceId: string, @Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Lock> {
    return Lock.from(await ctx.services.locks.rename(viewerOf(ctx), deviceId, name));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Forgets the lock and its command history (the audit log keeps it). Needs a recent password check (STEP_UP_REQUIRED).' })
  async removeLock(@Arg('deviceId', () => ID) deviceId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.stepUp.require(sessionViewerOf(ctx));
    await ctx.services.locks.remove(viewerOf(ctx), deviceId);
    return true;
  }

  @Authorized()
  @Mutation(() => LockRegistration, { description: 'Issues a new device secret; the old one stops working at once. Needs a recent password check (STEP_UP_REQUIRED).' })
  async rotateDeviceSecret(@Arg('deviceId', () => ID) deviceId: string, @Ctx() ctx: GraphQLContext): Promise<LockRegistration> {
    await ctx.services.stepUp.require(sessionViewerOf(ctx));
    return toRegistration(await ctx.services.locks.rotateSecret(viewerOf(ctx), deviceId));
  }

  @Authorized('ADMIN')
  @Mutation(() => Lock, { description: 'Gives a lock to another user (admin only). The former owner loses access at once.' })
  async reassignLock(@Arg('deviceId', () => ID) deviceId: string, @Arg('username') username: string, @Ctx() ctx: GraphQLContext): Promise<Lock> {
    return Lock.from(await ctx.services.locks.reassign(viewerOf(ctx), deviceId, username));
  }

  @Authorized()
  @Subscription(() => Lock, {
    description: 'Live changes of every lock you may see, or of one. Heartbeats that change nothing visible are not sent.',
    // Not `topics` + `filter`: those put a Repeater and a promise per subscriber on every event. Here
    // the bus indexes one lock's feeds by device id (only that lock's changes wake them), and the
    // visibility check is synchronous for owners and admins.
    subscribe: ({ args, context }: SubscribeResolverData<unknown, LockChangedArgs, GraphQLContext>) =>
      filterEventsAsync(context.services.events.subscribe('lock.changed', args.deviceId ?? undefined), (lock) =>
        (!args.deviceId || lock.deviceId === args.deviceId) && mayFollow(context, lock),
      ),
  })
  lockChanged(@Root() lock: AppEvents['lock.changed'], @Arg('deviceId', () => ID, { nullable: true }) _deviceId?: string): Lock {
    return Lock.from(lock);
  }

  @Authorized()
  @Subscription(() => LockAccessLost, {
    description:
      'Locks you could see and no longer can (removed, reassigned or transferred away from you, or your share of it ended), of every lock or of one. Sent only to the sessions that lost access; drop the lock from what you show.',
    topics: 'lock.accessLost',
    filter: ({ payload, args, context }: SubscriptionHandlerData<AppEvents['lock.accessLost'], LockChangedArgs, GraphQLContext>) =>
      (!args.deviceId || payload.deviceId === args.deviceId) && context.viewer !== null && lostAccess(context.viewer.user, payload),
  })
  lockAccessLost(@Root() event: AppEvents['lock.accessLost'], @Arg('deviceId', () => ID, { nullable: true }) _deviceId?: string): LockAccessLost {
    return LockAccessLost.from(event);
  }
}

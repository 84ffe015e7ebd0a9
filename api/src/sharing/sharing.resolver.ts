import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { sessionViewerOf, viewerOf } from '../graphql/auth-checker.js';
import { Lock } from '../locks/lock.model.js';
import { LockRole, LockShare, ShareAccessInput, ShareInvitation, ShareInvitationLink, ShareRole, ruleFromInput } from './share.model.js';
import { shareKey } from '../graphql/batch-loader.js';
import { roleOn } from './lock-role.js';
import { viewerAccess } from './viewer-access.js';

@Resolver()
export class SharingResolver {
  @Authorized()
  @Query(() => [LockShare], { description: "The lock's shares: its owner, a co-owner (read only) and admins. FORBIDDEN for a guest, NOT_FOUND for anyone else." })
  async lockShares(@Arg('deviceId', () => ID) deviceId: string, @Ctx() ctx: GraphQLContext): Promise<LockShare[]> {
    const { lock, shares } = await ctx.services.sharing.list(viewerOf(ctx), deviceId);
    const now = new Date();
    return shares.map((share) => LockShare.from(share, lock, now));
  }

  @Authorized()
  @Query(() => [ShareInvitation], { description: "The lock's pending invitations (not used, not expired): its owner and admins." })
  async shareInvitations(@Arg('deviceId', () => ID) deviceId: string, @Ctx() ctx: GraphQLContext): Promise<ShareInvitation[]> {
    return (await ctx.services.sharing.invitations(viewerOf(ctx), deviceId)).map((i) => ShareInvitation.from(i));
  }

  @Authorized()
  @Mutation(() => LockShare, {
    description:
      'Shares your lock with a user (owner or admin). Sharing again with the same person replaces their share. BAD_USER_INPUT for the owner, a username nobody has, or an invalid access rule (extensions.problems names each field). Needs a recent password check (STEP_UP_REQUIRED).',
  })
  async shareLock(
    @Arg('deviceId', () => ID) deviceId: string,
    @Arg('username') username: string,
    @Arg('role', () => ShareRole) role: ShareRole,
    @Arg('access', () => ShareAccessInput, { nullable: true }) access: ShareAccessInput | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LockShare> {
    await ctx.services.stepUp.require(sessionViewerOf(ctx));
    const { lock, share } = await ctx.services.sharing.share(viewerOf(ctx), deviceId, username, role, ruleFromInput(access));
    return LockShare.from(share, lock);
  }

  @Authorized()
  @Mutation(() => LockShare, { description: "Changes a share's role and rule (owner or admin); it takes effect at once." })
  async updateShare(
    @Arg('shareId', () => ID) shareId: string,
    @Arg('role', () => ShareRole) role: ShareRole,
    @Arg('access', () => ShareAccessInput, { nullable: true }) access: ShareAccessInput | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LockShare> {
    const { lock, share } = await ctx.services.sharing.update(viewerOf(ctx), shareId, role, ruleFromInput(access));
    return LockShare.from(share, lock);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends a share at once (owner or admin); the person it was shared with may also leave it. Their open sessions drop the lock (lockAccessLost, SHARE_REVOKED).' })
  async revokeShare(@Arg('shareId', () => ID) shareId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.sharing.revoke(viewerOf(ctx), shareId);
    return true;
  }

  @Authorized()
  @Mutation(() => ShareInvitationLink, {
    description: 'An invitation link to share your lock (owner or admin): whoever accepts it first gets the share. Valid expiresInHours (1 to 720, default 72). Needs a recent password check (STEP_UP_REQUIRED).',
  })
  async createShareInvitation(
    @Arg('deviceId', () => ID) deviceId: string,
    @Arg('role', () => ShareRole) role: ShareRole,
    @Arg('access', () => ShareAccessInput, { nullable: true }) access: ShareAccessInput | undefined,
    @Arg('expiresInHours', () => Int, { nullable: true }) expiresInHours: number | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ShareInvitationLink> {
    await ctx.services.stepUp.require(sessionViewerOf(ctx));
    const { invitation, token } = await ctx.services.sharing.invite(viewerOf(ctx), deviceId, role, ruleFromInput(access), expiresInHours ?? undefined);
    const origin = ctx.services.sharingLinkOrigin(ctx.requestOrigin);
    return Object.assign(new ShareInvitationLink(), { invitation: ShareInvitation.from(invitation), link: `${origin}/invite#${token}` });
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Cancels a pending invitation (owner or admin). BAD_USER_INPUT when it was already used.' })
  async cancelShareInvitation(@Arg('invitationId', () => ID) invitationId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.sharing.cancelInvitation(viewerOf(ctx), invitationId);
    return true;
  }

  @Authorized()
  @Mutation(() => LockShare, {
    description: "Accepts an invitation (the part of the link after /invite#). Single use; replaces a share you already hold of that lock. BAD_USER_INPUT when it was used, cancelled or expired, or the lock is yours.",
  })
  async acceptShareInvitation(@Arg('token') token: string, @Ctx() ctx: GraphQLContext): Promise<LockShare> {
    const { lock, share } = await ctx.services.sharing.accept(viewerOf(ctx), token);
    return LockShare.from(share, lock);
  }

  @Authorized()
  @Mutation(() => Lock, { description: "Sets the lock's time zone (an IANA name such as \"Europe/Berlin\"): owner, co-owner or admin. Guests' weekly schedules follow it." })
  async setLockTimeZone(@Arg('deviceId', () => ID) deviceId: string, @Arg('timeZone') timeZone: string, @Ctx() ctx: GraphQLContext): Promise<Lock> {
    return Lock.from(await ctx.services.sharing.setTimeZone(viewerOf(ctx), deviceId, timeZone));
  }
}

@Resolver(() => Lock)
export class LockSharingFieldsResolver {
  @FieldResolver(() => LockRole, { description: "Your role on this lock." })
  async myRole(@Root() lock: Lock, @Ctx() ctx: GraphQLContext): Promise<LockRole> {
    const viewer = viewerOf(ctx);
    const owner = lock.owner.username;
    const share = owner === viewer.username ? null : await ctx.loaders.shares.load(shareKey(viewer.username, lock.deviceId));
    // A lock resolved for someone who cannot see it (it changed hands mid-operation): the least role.
    return LockRole[roleOn(viewer, { owner, deviceId: lock.deviceId }, share) ?? 'GUEST'];
  }

  @FieldResolver(() => LockShare, { nullable: true, description: 'Your share of this lock when you are a co-owner or guest: when you may use it.' })
  async myShare(@Root() lock: Lock, @Ctx() ctx: GraphQLContext): Promise<LockShare | null> {
    const record = await ctx.loaders.locks.load(lock.deviceId);
    const access = record ? await viewerAccess(ctx, record) : null;
    return record && access?.share ? LockShare.from(access.share, record) : null;
  }
}

@Resolver(() => LockShare)
export class LockShareFieldsResolver {
  @FieldResolver(() => Lock)
  lock(@Root() share: LockShare): Lock {
    return Lock.from(share.lockRecord);
  }
}

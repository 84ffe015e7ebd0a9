import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { PushDevice, PushKind, PushPreference, PushSubscriptionInput } from './push.model.js';

@Resolver()
export class PushResolver {
  @Query(() => String, { description: "The api's VAPID public key (base64url): the applicationServerKey for pushManager.subscribe." })
  vapidPublicKey(@Ctx() ctx: GraphQLContext): string {
    return ctx.services.push.vapidPublicKey;
  }

  @Authorized()
  @Mutation(() => PushDevice, {
    description:
      'Registers this browser for push notifications (replacing its earlier registration). Removed when this session signs out, on signOutEverywhere, and when the push service says it is gone. BAD_USER_INPUT for an endpoint that is not https:// or keys of the wrong size.',
  })
  async subscribePush(
    @Arg('subscription', () => PushSubscriptionInput) subscription: PushSubscriptionInput,
    @Arg('deviceLabel') deviceLabel: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PushDevice> {
    const sessionId = ctx.viewer?.sessionId ?? null;
    return PushDevice.from(await ctx.services.push.service.subscribe(viewerOf(ctx), sessionId, subscription, deviceLabel));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Stops pushes to this browser; false when it was not one of the user's." })
  unsubscribePush(@Arg('endpoint') endpoint: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return ctx.services.push.service.unsubscribe(viewerOf(ctx), endpoint);
  }

  @Authorized()
  @Query(() => [PushDevice], { description: "The signed-in user's browsers that receive pushes." })
  async pushDevices(@Ctx() ctx: GraphQLContext): Promise<PushDevice[]> {
    return (await ctx.services.push.service.devices(viewerOf(ctx))).map((record) => PushDevice.from(record));
  }

  @Authorized()
  @Query(() => [PushPreference], {
    description: 'Every kind for each of your own locks and the account kinds (on unless turned off); for an admin also the choices made for locks of others (off unless turned on).',
  })
  async pushPreferences(@Ctx() ctx: GraphQLContext): Promise<PushPreference[]> {
    return (await ctx.services.push.service.preferences(viewerOf(ctx))).map((view) => Object.assign(new PushPreference(), view));
  }

  @Authorized()
  @Mutation(() => PushPreference, {
    description:
      "Turns one kind on or off for a lock (owner, or an admin for any lock: admins are told about others' locks only for the kinds they turn on; NOT_FOUND for anyone else), or for the account with no deviceId (NEW_SIGN_IN).",
  })
  async setPushPreference(
    @Arg('kind', () => PushKind) kind: PushKind,
    @Arg('enabled') enabled: boolean,
    @Arg('deviceId', () => ID, { nullable: true }) deviceId: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PushPreference> {
    const view = await ctx.services.push.service.setPreference(viewerOf(ctx), deviceId ?? null, kind, enabled);
    return Object.assign(new PushPreference(), view);
  }
}

import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { BadUserInputError } from '../errors/graphql-errors.js';
import { sessionViewerOf } from '../graphql/auth-checker.js';
import { UserSession } from './session.model.js';

@Resolver()
export class SessionsResolver {
  @Authorized()
  @Query(() => [UserSession], { description: 'Your signed-in sessions, most recently used first.' })
  async sessions(@Ctx() ctx: GraphQLContext): Promise<UserSession[]> {
    return (await ctx.services.sessions.list(sessionViewerOf(ctx))).map((s) => UserSession.from(s));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Signs one of your sessions out: its tokens stop working and its open subscriptions close (4403). NOT_FOUND for an id that is not one of your live sessions.',
  })
  async endSession(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.sessions.end(sessionViewerOf(ctx), id);
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Confirms it is you (step-up): your password, a code from your authenticator app (or a recovery code), or a passkey (the answer to `passkeyReauthenticationOptions`), exactly one (throttled like sign-in; wrong: BAD_USER_INPUT). Lets this session do sensitive operations for STEP_UP_MAX_AGE. Answer to STEP_UP_REQUIRED.',
  })
  async reauthenticate(
    @Arg('password', () => String, { nullable: true }) password: string | null | undefined,
    @Arg('code', () => String, { nullable: true }) code: string | null | undefined,
    @Arg('passkeyResponse', () => String, { nullable: true, description: 'The JSON of what @simplewebauthn/browser answered.' }) passkeyResponse: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    const viewer = sessionViewerOf(ctx);
    if ([password, code, passkeyResponse].filter((proof) => proof != null).length !== 1) throw new BadUserInputError('Give one of your password, a code or a passkey.');
    if (password != null) await ctx.services.auth.reauthenticate(viewer, password, ctx.clientAddress);
    else if (code != null) await ctx.services.auth.reauthenticateWithCode(viewer, code, ctx.clientAddress);
    else if (passkeyResponse != null) await ctx.services.passkeySignIn.reauthenticate(viewer, passkeyResponse, ctx.clientAddress, ctx.requestOrigin);
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Changes your password: the current one is checked (throttled like sign-in; wrong: BAD_USER_INPUT), the new one must be as strong as at sign-up. Every other session is signed out; this one stays.',
  })
  async changePassword(@Arg('currentPassword') currentPassword: string, @Arg('newPassword') newPassword: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.auth.changePassword(sessionViewerOf(ctx), currentPassword, newPassword, ctx.clientAddress);
    return true;
  }
}

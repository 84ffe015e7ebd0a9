import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
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
      'Confirms it is you (step-up): checks your password (throttled like sign-in; wrong: BAD_USER_INPUT) and lets this session do sensitive operations for STEP_UP_MAX_AGE. Answer to STEP_UP_REQUIRED.',
  })
  async reauthenticate(@Arg('password') password: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.auth.reauthenticate(sessionViewerOf(ctx), password, ctx.clientAddress);
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

import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { AuthPayload } from './auth-payload.model.js';
import type { Session } from './auth.service.js';
import { User } from './user.model.js';

/** A new session; a browser that asked for the refresh cookie gets it (http/session-cookie.ts). */
function issued(session: Session, ctx: GraphQLContext): AuthPayload {
  ctx.setRefreshCookie?.(session.refreshToken);
  return AuthPayload.from(session);
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Creates a USER account and signs it in. A password that is too easy to guess is refused with BAD_USER_INPUT, its `suggestions` in the extensions; throttled per address (TOO_MANY_ATTEMPTS).',
  })
  async signUp(@Arg('username') username: string, @Arg('password') password: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return issued(await ctx.services.auth.signUp(username, password, ctx.clientAddress, ctx.userAgent), ctx);
  }

  @Mutation(() => AuthPayload, { description: 'Throttled per account and per address (TOO_MANY_ATTEMPTS). An account with an authenticator app answers SECOND_FACTOR_REQUIRED with a `challenge` for signInSecondFactor.' })
  async signIn(@Arg('username') username: string, @Arg('password') password: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return issued(await ctx.services.auth.signIn(username, password, ctx.clientAddress, ctx.userAgent), ctx);
  }

  @Mutation(() => AuthPayload, {
    description: 'The second step of signing in to an account with an authenticator app: the `challenge` from SECOND_FACTOR_REQUIRED and a current code or a recovery code. Throttled like signIn.',
  })
  async signInSecondFactor(@Arg('challenge') challenge: string, @Arg('code') code: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return issued(await ctx.services.auth.signInSecondFactor(challenge, code, ctx.clientAddress, ctx.userAgent), ctx);
  }

  @Mutation(() => AuthPayload, { description: 'Trades a refresh token for a new session; the old token stops working.' })
  async refreshSession(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return AuthPayload.from(await ctx.services.auth.refreshSession(refreshToken, { address: ctx.clientAddress, userAgent: ctx.userAgent }));
  }

  @Mutation(() => Boolean, { description: 'Ends the session this refresh token belongs to. Always true.' })
  async signOut(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.auth.signOut(refreshToken);
    return true;
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends every session of the signed-in user, on every device.' })
  async signOutEverywhere(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.auth.signOutEverywhere(viewerOf(ctx));
    return true;
  }

  @Authorized()
  @Query(() => User, { description: 'The signed-in user.' })
  me(@Ctx() ctx: GraphQLContext): User {
    return User.from(viewerOf(ctx));
  }
}

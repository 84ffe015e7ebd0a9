import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { sessionViewerOf, viewerOf } from '../graphql/auth-checker.js';
import { AuthPayload } from './auth-payload.model.js';
import { Passkey } from './passkey.model.js';

const OPTIONS_JSON = 'JSON for @simplewebauthn/browser (`optionsJSON`); its challenge is good once, for 5 minutes.';
const RESPONSE_JSON = 'The JSON of what @simplewebauthn/browser answered.';

@Resolver()
export class PasskeysResolver {
  @Authorized()
  @Query(() => [Passkey], { description: 'Your passkeys, oldest first.' })
  async passkeys(@Ctx() ctx: GraphQLContext): Promise<Passkey[]> {
    return (await ctx.services.passkeys.list(viewerOf(ctx).id)).map((p) => Passkey.from(p));
  }

  @Authorized()
  @Mutation(() => String, { description: `Starts adding a passkey (needs a recent proof: STEP_UP_REQUIRED). ${OPTIONS_JSON} Bound to this session.` })
  async passkeyRegistrationOptions(@Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.passkeys.registrationOptions(sessionViewerOf(ctx), ctx.requestOrigin);
  }

  @Authorized()
  @Mutation(() => Passkey, { description: 'Adds the passkey the browser made from `passkeyRegistrationOptions`. From now on, signing in with the password also asks for it (or the authenticator code).' })
  async addPasskey(@Arg('response', { description: RESPONSE_JSON }) response: string, @Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Passkey> {
    return Passkey.from(await ctx.services.passkeys.add(sessionViewerOf(ctx), response, name, ctx.requestOrigin));
  }

  @Authorized()
  @Mutation(() => Passkey, { description: 'NOT_FOUND for an id that is not one of your passkeys.' })
  async renamePasskey(@Arg('id', () => ID) id: string, @Arg('name') name: string, @Ctx() ctx: GraphQLContext): Promise<Passkey> {
    return Passkey.from(await ctx.services.passkeys.rename(sessionViewerOf(ctx), id, name));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Removes one of your passkeys: it can no longer sign in (needs a recent proof: STEP_UP_REQUIRED). NOT_FOUND for an id that is not one of yours.' })
  async removePasskey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.passkeys.remove(sessionViewerOf(ctx), id);
    return true;
  }

  @Mutation(() => String, { description: `Starts signing in with a passkey. With a username: that account's passkeys; without: any passkey the browser holds for this site. ${OPTIONS_JSON}` })
  async passkeySignInOptions(@Arg('username', () => String, { nullable: true }) username: string | null | undefined, @Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.passkeySignIn.signInOptions(username ?? null, ctx.requestOrigin);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in with the answer to `passkeySignInOptions` (a passkey needs your PIN or biometrics, so it is the whole proof). Throttled like signIn; UNAUTHENTICATED when it does not work.' })
  async signInWithPasskey(@Arg('response', { description: RESPONSE_JSON }) response: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    const session = await ctx.services.passkeySignIn.signIn(response, { address: ctx.clientAddress, userAgent: ctx.userAgent }, ctx.requestOrigin);
    ctx.setRefreshCookie?.(session.refreshToken);
    return AuthPayload.from(session);
  }

  @Mutation(() => String, { description: `The second step of a password sign-in with a passkey: the \`challenge\` from SECOND_FACTOR_REQUIRED. ${OPTIONS_JSON}` })
  async passkeySecondFactorOptions(@Arg('challenge') challenge: string, @Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.passkeySignIn.secondFactorOptions(challenge, ctx.requestOrigin);
  }

  @Mutation(() => AuthPayload, { description: 'Finishes a password sign-in with a passkey (the answer to `passkeySecondFactorOptions` for the same `challenge`). Throttled like signIn.' })
  async signInSecondFactorWithPasskey(@Arg('challenge') challenge: string, @Arg('response', { description: RESPONSE_JSON }) response: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    const session = await ctx.services.passkeySignIn.signInSecondFactor(challenge, response, { address: ctx.clientAddress, userAgent: ctx.userAgent }, ctx.requestOrigin);
    ctx.setRefreshCookie?.(session.refreshToken);
    return AuthPayload.from(session);
  }

  @Authorized()
  @Mutation(() => String, { description: `Step-up with a passkey: options bound to this session; send the answer to \`reauthenticate(passkeyResponse:)\`. ${OPTIONS_JSON}` })
  async passkeyReauthenticationOptions(@Ctx() ctx: GraphQLContext): Promise<string> {
    return ctx.services.passkeySignIn.reauthenticationOptions(sessionViewerOf(ctx), ctx.requestOrigin);
  }
}

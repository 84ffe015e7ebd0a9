import { Arg, Authorized, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { sessionViewerOf, viewerOf } from '../graphql/auth-checker.js';

@ObjectType({ description: 'Your second factor.' })
class TwoFactorStatus {
  @Field({ description: 'An authenticator app (TOTP) is on: sign-in asks for its code.' })
  totpEnabled: boolean;

  @Field(() => Int, { description: 'Unused recovery codes (each works once instead of a code).' })
  recoveryCodesLeft: number;
}

@ObjectType({ description: 'A new authenticator secret, shown once: scan the URI as a QR code (or type the secret), then confirm with a code.' })
class TotpEnrollment {
  @Field({ description: 'Base32, for typing into the app by hand.' })
  secret: string;

  @Field({ description: 'otpauth://totp/… for a QR code.' })
  otpauthUri: string;
}

@Resolver()
export class TotpResolver {
  @Authorized()
  @Query(() => TwoFactorStatus)
  async twoFactor(@Ctx() ctx: GraphQLContext): Promise<TwoFactorStatus> {
    const status = await ctx.services.totp.status(viewerOf(ctx).id);
    return Object.assign(new TwoFactorStatus(), { totpEnabled: status.enabled, recoveryCodesLeft: status.recoveryCodesLeft });
  }

  @Authorized()
  @Mutation(() => TotpEnrollment, { description: 'Starts adding an authenticator app (needs a recent password: STEP_UP_REQUIRED). Not on until `confirmTotpEnrollment`.' })
  async beginTotpEnrollment(@Ctx() ctx: GraphQLContext): Promise<TotpEnrollment> {
    return Object.assign(new TotpEnrollment(), await ctx.services.totp.begin(sessionViewerOf(ctx)));
  }

  @Authorized()
  @Mutation(() => [String], { description: 'Turns the authenticator app on with its first code; answers 10 single-use recovery codes, shown this once.' })
  async confirmTotpEnrollment(@Arg('code') code: string, @Ctx() ctx: GraphQLContext): Promise<string[]> {
    return ctx.services.totp.confirm(sessionViewerOf(ctx), code);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Turns the authenticator app off (needs a recent password: STEP_UP_REQUIRED).' })
  async disableTotp(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.totp.disable(sessionViewerOf(ctx));
    return true;
  }
}

import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { sessionViewerOf, viewerOf } from '../../graphql/auth-checker.js';
import { AuthPayload } from '../auth-payload.model.js';
import type { EmailStatus } from './recovery-email.service.js';

@ObjectType({ description: 'Your recovery email address: "Forgot password?" mails a link to it once it is verified.' })
class RecoveryEmail {
  @Field()
  address: string;

  @Field({ description: 'The link mailed to it was opened: only then does it receive recovery links.' })
  verified: boolean;

  static from(status: EmailStatus): RecoveryEmail {
    return Object.assign(new RecoveryEmail(), status);
  }
}

@Resolver()
export class RecoveryResolver {
  @Query(() => Boolean, { description: 'Whether this server can send email (SMTP_URL): recovery email addresses and "Forgot password?" need it.' })
  emailRecoveryAvailable(@Ctx() ctx: GraphQLContext): boolean {
    return ctx.services.recovery.emailAvailable;
  }

  @Mutation(() => Boolean, {
    description:
      'Forgot password: a username or an email address. Always true, whether or not it matches an account (a link is mailed only to a verified address). Throttled per client address (TOO_MANY_ATTEMPTS) and per account.',
  })
  async requestAccountRecovery(@Arg('usernameOrEmail') usernameOrEmail: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.recovery.request(usernameOrEmail, ctx.clientAddress);
    return true;
  }

  @Mutation(() => AuthPayload, {
    description:
      'Redeems a one-time recovery link (the part after /recover#): sets the new password (sign-up strength rules), ends every session of the account and signs it in. An account with an authenticator app answers SECOND_FACTOR_REQUIRED instead, like signIn with the new password.',
  })
  async recoverAccount(@Arg('token') token: string, @Arg('newPassword') newPassword: string, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    const session = await ctx.services.recovery.redeem(token, newPassword, { address: ctx.clientAddress, userAgent: ctx.userAgent });
    ctx.setRefreshCookie?.(session.refreshToken);
    return AuthPayload.from(session);
  }

  @Mutation(() => RecoveryEmail, { description: 'Confirms a recovery email address with the link mailed to it (the part after /verify-email#). Needs no session.' })
  async verifyRecoveryEmail(@Arg('token') token: string, @Ctx() ctx: GraphQLContext): Promise<RecoveryEmail> {
    return RecoveryEmail.from(await ctx.services.recoveryEmail.verify(token));
  }

  @Authorized()
  @Query(() => RecoveryEmail, { nullable: true, description: 'Your recovery email address, if you set one.' })
  async recoveryEmail(@Ctx() ctx: GraphQLContext): Promise<RecoveryEmail | null> {
    const status = await ctx.services.recoveryEmail.status(viewerOf(ctx).id);
    return status ? RecoveryEmail.from(status) : null;
  }

  @Authorized()
  @Mutation(() => RecoveryEmail, { description: 'Sets or changes your recovery email address (needs a recent password: STEP_UP_REQUIRED) and mails it a link to verify it.' })
  async setRecoveryEmail(@Arg('address') address: string, @Ctx() ctx: GraphQLContext): Promise<RecoveryEmail> {
    return RecoveryEmail.from(await ctx.services.recoveryEmail.set(sessionViewerOf(ctx), address));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Removes your recovery email address (needs a recent password: STEP_UP_REQUIRED).' })
  async removeRecoveryEmail(@Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.recoveryEmail.remove(sessionViewerOf(ctx));
    return true;
  }
}

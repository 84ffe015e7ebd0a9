import { Field, ObjectType } from 'type-graphql';
import type { Session } from './auth.service.js';
import { User } from './user.model.js';

@ObjectType({ description: 'A signed-in session: a short-lived access token and a refresh token to renew it.' })
export class AuthPayload {
  @Field({ description: 'JWT for `Authorization: Bearer …` (HTTP) or `connectionParams.authorization` (WebSocket).' })
  accessToken: string;

  @Field({ description: 'Opaque; single use: `refreshSession` returns a new one. Keep it secret.' })
  refreshToken: string;

  @Field({ description: 'When the access token expires.' })
  expiresAt: Date;

  @Field(() => User)
  user: User;

  static from(session: Session): AuthPayload {
    return Object.assign(new AuthPayload(), {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      expiresAt: session.expiresAt,
      user: User.from(session.user),
    });
  }
}

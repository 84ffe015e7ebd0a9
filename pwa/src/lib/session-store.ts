/**
 * The signed-in session as kept in localStorage, shared by every tab of the app: the short-lived
 * access token and the user. The refresh token is not here: it is an HttpOnly cookie.
 */
import type { Role } from '../gql/graphql';

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

export interface Session {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: SessionUser;
}

export const SESSION_KEY = 'smartlock.session';

/** A sign-in, sign-up or refresh answer (only the fields the app keeps). */
export interface SessionPayload {
  accessToken: string;
  expiresAt: string;
  user: SessionUser;
}

export function sessionFromPayload(payload: SessionPayload): Session {
  return {
    accessToken: payload.accessToken,
    expiresAt: Date.parse(payload.expiresAt),
    user: { id: payload.user.id, username: payload.user.username, role: payload.user.role },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Parses a stored session, or null when absent or malformed. */
export function parseSession(raw: string | null): Session | null {
  if (raw === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(value) || !isRecord(value.user)) return null;
  const { accessToken, expiresAt, user } = value;
  if (typeof accessToken !== 'string' || typeof expiresAt !== 'number') return null;
  if (typeof user.id !== 'string' || typeof user.username !== 'string') return null;
  if (user.role !== 'ADMIN' && user.role !== 'USER') return null;
  return { accessToken, expiresAt, user: { id: user.id, username: user.username, role: user.role } };
}

export function readSession(storage: Storage): Session | null {
  return parseSession(storage.getItem(SESSION_KEY));
}

export function writeSession(storage: Storage, session: Session | null): void {
  if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
  else storage.removeItem(SESSION_KEY);
}

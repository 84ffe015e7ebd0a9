/**
 * The api's session endpoints (`/auth/*`). The refresh token never reaches this code: it is an
 * HttpOnly cookie (Path=/auth) that the browser sends and replaces on its own
 * (docs/security.md, "Refresh token in an HttpOnly cookie").
 */
import type { Role } from '../gql/graphql';
import { ApiError, NetworkError, toApiError, type FetchLike } from './graphql-http';

export interface RefreshedSession {
  accessToken: string;
  expiresAt: string;
  user: { id: string; username: string; role: Role };
}

/** The header with which `signIn`/`signUp` ask the api to set the refresh cookie. */
export const REFRESH_COOKIE_HEADERS: Readonly<Record<string, string>> = { 'x-refresh-cookie': '1' };

async function postAuth<T>(fetchFn: FetchLike, path: string, accessToken?: string | null): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  let response: Response;
  try {
    response = await fetchFn(`/auth/${path}`, { method: 'POST', headers, body: '{}', credentials: 'same-origin', cache: 'no-store' });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : 'The network request failed.');
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new NetworkError(`The server answered ${response.status} without JSON.`);
  }
  const errors = (body as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) throw toApiError(errors);
  if (!response.ok) throw new NetworkError(`The server answered ${response.status}.`);
  return body as T;
}

/** Trades the refresh cookie for a new access token (and a new cookie). */
export function refreshWithCookie(fetchFn: FetchLike): Promise<RefreshedSession> {
  return postAuth<RefreshedSession>(fetchFn, 'refresh');
}

/** Ends this session line on the server and clears the cookie. */
export async function signOutWithCookie(fetchFn: FetchLike): Promise<void> {
  await postAuth(fetchFn, 'sign-out');
}

/** Ends every session of the user and clears this browser's cookie. */
export async function signOutEverywhereWithCookie(fetchFn: FetchLike, accessToken: string | null): Promise<void> {
  if (!accessToken) throw new ApiError('You are signed out.', 'UNAUTHENTICATED');
  await postAuth(fetchFn, 'sign-out-everywhere', accessToken);
}

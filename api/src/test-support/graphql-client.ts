/** Minimal real clients for tests: fetch over HTTP and graphql-ws over WebSocket. */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export function errorCodes(response: GraphQLResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}

export function wsClient(url: string, token: string | undefined, options: { origin?: string; lazy?: boolean } = {}): Client {
  class OriginWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, options.origin ? { headers: { origin: options.origin } } : {});
    }
  }
  return createClient({
    url,
    webSocketImpl: OriginWebSocket,
    lazy: options.lazy ?? true,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/** graphql-ws reports socket closes as CloseEvents; keep their code on an Error. */
function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  const code = (value as { code?: unknown }).code;
  return Object.assign(new Error(`socket closed${typeof code === 'number' ? ` with ${code}` : ''}`), { code });
}

/** Runs one query/mutation over the socket and resolves with its single result. */
export function wsQuery<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  return new Promise((resolve, reject) => {
    let result: GraphQLResponse<T> | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (result = value as GraphQLResponse<T>),
        error: (error: unknown) => (Array.isArray(error) ? resolve({ errors: error as GraphQLResponse['errors'] }) : reject(toError(error))),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}

export const SIGN_UP = `mutation ($username: String!, $password: String!) {
  signUp(username: $username, password: $password) { accessToken refreshToken expiresAt user { id username role } }
}`;
export const SIGN_IN = `mutation ($username: String!, $password: String!) {
  signIn(username: $username, password: $password) { accessToken refreshToken expiresAt user { id username role } }
}`;

export interface AuthResult {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: { id: string; username: string; role: string };
}

export async function signUp(url: string, username: string, password = 'correct horse battery'): Promise<AuthResult> {
  const response = await gql<{ signUp: AuthResult }>(url, SIGN_UP, { username, password });
  if (!response.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  return response.data.signUp;
}

/**
 * The smallest GraphQL-over-HTTP client that fits: one POST per operation, typed by the
 * TypedDocumentNode that codegen produced, errors turned into {@link ApiError} (the server's
 * `extensions.code`) or {@link NetworkError} (no answer at all).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type DocumentNode } from 'graphql';
import { withRetryAfter } from './retry-after';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** The server answered with a GraphQL error: `code` is its `extensions.code`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** No usable answer: offline, DNS, the api down or a proxy error page. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

interface WireError {
  message?: unknown;
  extensions?: Record<string, unknown>;
}

interface WireResponse<R> {
  data?: R | null;
  errors?: WireError[];
}

const printed = new WeakMap<DocumentNode, string>();

/** The query text of a document (printed once, then remembered). */
export function queryText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export function operationName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value;
  }
  return undefined;
}

/** The first GraphQL error of an answer as an ApiError. */
export function toApiError(errors: readonly WireError[]): ApiError {
  const first = errors[0] ?? {};
  const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
  const message = typeof first.message === 'string' ? first.message : 'Something went wrong.';
  return new ApiError(message, code, first.extensions ?? {});
}

/** POSTs one operation to `/graphql` with an optional bearer token (and extra headers). */
export async function postGraphQL<R, V>(
  fetchFn: FetchLike,
  document: TypedDocumentNode<R, V>,
  variables: V,
  accessToken?: string | null,
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<R> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...extraHeaders };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  let response: Response;
  try {
    response = await fetchFn('/graphql', {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: queryText(document), variables, operationName: operationName(document) }),
    });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : 'The network request failed.');
  }
  let body: WireResponse<R>;
  try {
    body = (await response.json()) as WireResponse<R>;
  } catch {
    throw new NetworkError(`The server answered ${response.status} without GraphQL.`);
  }
  if (body.errors && body.errors.length > 0) throw toApiError(body.errors);
  if (body.data === undefined || body.data === null) throw new ApiError('The server sent no data.', 'INTERNAL_SERVER_ERROR');
  return body.data;
}

/** A message for people, from anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError && (error.code === 'TOO_MANY_ATTEMPTS' || error.code === 'TOO_MANY_COMMANDS')) {
    const retry = error.extensions.retryAfterSeconds;
    return typeof retry === 'number' ? withRetryAfter(error.message, retry) : error.message;
  }
  if (error instanceof NetworkError) return 'No connection to the server. Check your network and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/**
 * Authenticated queries and mutations: the session's token, one retry after a refresh, and one
 * after the user confirmed their password when the api asks for it (step-up). A request may ask
 * for the live socket (the lock and unlock commands: live-client.ts says why); it goes over HTTP
 * when the socket is not open, and its retries always do.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Connectivity } from './connectivity';
import { ApiError, NetworkError, postGraphQL, type FetchLike } from './graphql-http';
import type { LiveClient } from './live-client';
import type { SessionManager } from './session';
import { isStepUpRequired, type StepUpGate } from './step-up';

export interface RequestOptions {
  /** Send it on the live socket if that is open now; HTTP otherwise. */
  preferLiveSocket?: boolean;
}

export type Request = <R, V>(document: TypedDocumentNode<R, V>, variables: V, options?: RequestOptions) => Promise<R>;

export function createRequest(
  session: SessionManager,
  connectivity: Connectivity,
  fetchFn: FetchLike,
  stepUp?: StepUpGate,
  live?: Pick<LiveClient, 'execute'>,
): Request {
  const send = async <R, V>(document: TypedDocumentNode<R, V>, variables: V, token: string | null): Promise<R> => {
    try {
      const data = await postGraphQL(fetchFn, document, variables, token);
      connectivity.reportReachable();
      return data;
    } catch (error) {
      if (error instanceof NetworkError) connectivity.reportUnreachable();
      else connectivity.reportReachable();
      throw error;
    }
  };

  const withFreshToken = async <R, V>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> => {
    const token = await session.accessToken();
    try {
      return await send(document, variables, token);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'UNAUTHENTICATED' || !token) throw error;
      const fresh = await session.refresh(token);
      return send(document, variables, fresh.accessToken);
    }
  };

  const firstAttempt = async <R, V>(document: TypedDocumentNode<R, V>, variables: V, options?: RequestOptions): Promise<R> => {
    const overSocket = options?.preferLiveSocket ? live?.execute(document, variables) : null;
    if (!overSocket) return withFreshToken(document, variables);
    try {
      return await overSocket;
    } catch (error) {
      // The socket signed in with the token it opened with; HTTP with the session's own decides.
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return withFreshToken(document, variables);
      throw error;
    }
  };

  return async (document, variables, options) => {
    try {
      return await firstAttempt(document, variables, options);
    } catch (error) {
      if (!stepUp || !isStepUpRequired(error)) throw error;
      if (!(await stepUp.confirm(error))) throw error;
      return withFreshToken(document, variables);
    }
  };
}

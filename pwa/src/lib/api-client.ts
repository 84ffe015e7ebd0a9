/**
 * Authenticated queries and mutations: the session's token, one retry after a refresh, and one
 * after the user confirmed their password when the api asks for it (step-up).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Connectivity } from './connectivity';
import { ApiError, NetworkError, postGraphQL, type FetchLike } from './graphql-http';
import type { SessionManager } from './session';
import { isStepUpRequired, type StepUpGate } from './step-up';

export type Request = <R, V>(document: TypedDocumentNode<R, V>, variables: V) => Promise<R>;

export function createRequest(session: SessionManager, connectivity: Connectivity, fetchFn: FetchLike, stepUp?: StepUpGate): Request {
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

  return async (document, variables) => {
    try {
      return await withFreshToken(document, variables);
    } catch (error) {
      if (!stepUp || !isStepUpRequired(error)) throw error;
      if (!(await stepUp.confirm(error))) throw error;
      return withFreshToken(document, variables);
    }
  };
}

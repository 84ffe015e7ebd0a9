/**
 * Apollo Server for HTTP: no landing page (the online one loads a CDN; ours is
 * the self-hosted /playground), no batching, CSRF prevention on, the same abuse
 * limits as the WebSocket, and internal errors masked with a request id.
 * No cache-control plugin: nothing here is cacheable (every answer is the viewer's), and the
 * plugin's per-field hook wraps every resolver of the schema, the WebSocket's too.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { GraphQLContext } from '../app/context.js';
import type { Logger } from '../app/logger.js';
import type { Config } from '../config/config.js';
import { abuseRules, stripSuggestions } from '../graphql/limits.js';
import type { Metrics } from '../observability/metrics.js';
import { StorageUnavailableError } from '../errors/graphql-errors.js';
import { StorageFailureError } from '../store/errors.js';
import { operationLabel } from './operation-label.js';

const INTERNAL = 'INTERNAL_SERVER_ERROR';
/** Codes answered with the request id, so a report can be matched with the server's log. */
const WITH_REQUEST_ID = new Set<unknown>([INTERNAL, 'STORAGE_UNAVAILABLE']);

/** Errors we raised on purpose carry a code and a safe message; everything else is masked. */
export function isExpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  return original instanceof GraphQLError && typeof original.extensions.code === 'string' && original.extensions.code !== INTERNAL;
}

function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (unwrapResolverError(error) instanceof StorageFailureError) {
    const { message, extensions } = new StorageUnavailableError();
    return { ...formatted, message, extensions };
  }
  if (isExpectedError(error) || (formatted.extensions?.code && formatted.extensions.code !== INTERNAL)) return formatted;
  return { message: 'Internal server error', extensions: { code: INTERNAL } };
}

/** With introspection off, no message may name schema elements the client did not (variable coercion included). */
function withoutSuggestions(format: typeof formatError): typeof formatError {
  return (formatted, error) => {
    const result = format(formatted, error);
    return { ...result, message: stripSuggestions(result.message) };
  };
}

function observabilityPlugin(schema: GraphQLSchema, log: Logger, metrics: Metrics): ApolloServerPlugin<GraphQLContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isExpectedError(error) || (typeof error.extensions.code === 'string' && error.extensions.code !== INTERNAL)) continue;
            contextValue.log.error({ err: unwrapResolverError(error), path: error.path }, 'internal error in GraphQL operation');
          }
          return Promise.resolve();
        },
        willSendResponse({ response, contextValue, document, operation }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const errors = response.body.singleResult.errors;
          for (const error of errors ?? []) {
            if (WITH_REQUEST_ID.has(error.extensions?.code)) Object.assign(error, { extensions: { ...error.extensions, requestId: contextValue.requestId } });
          }
          const code = errors?.[0]?.extensions?.code;
          const outcome = !errors?.length ? 'ok' : typeof code === 'string' ? code : 'error';
          metrics.graphqlOperations.inc({ ...operationLabel(schema, document, operation), outcome });
          return Promise.resolve();
        },
      });
    },
    serverWillStart() {
      log.debug('apollo server starting');
      return Promise.resolve();
    },
  };
}

export function createApollo(schema: GraphQLSchema, config: Config, log: Logger, metrics: Metrics, extraPlugins: ApolloServerPlugin<GraphQLContext>[]) {
  return new ApolloServer<GraphQLContext>({
    schema,
    introspection: config.graphql.introspection,
    hideSchemaDetailsFromClientErrors: !config.graphql.introspection,
    validationOptions: { hideSuggestions: !config.graphql.introspection },
    // The operation gate (server.ts) refuses these first; this keeps Apollo bounded on its own.
    parseOptions: { maxTokens: config.graphql.maxTokens },
    validationRules: abuseRules(config.graphql),
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: config.graphql.introspection ? formatError : withoutSuggestions(formatError),
    // The process has one shutdown path (app/shutdown.ts). Apollo's own handler would
    // stop Apollo a second time and then re-raise the signal, killing the process
    // before heartbeats are written and the broker and store are closed.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), observabilityPlugin(schema, log, metrics), ...extraPlugins],
  });
}

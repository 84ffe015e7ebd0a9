/**
 * The Postman collection (v2.1, GraphQL bodies) and environment, built from
 * schema.graphql and the app's operations: one request per app query and mutation,
 * plus a generated one for each root field the app does not use.
 */
import { buildSchema, Kind, OperationTypeNode, print, type DocumentNode, type FieldNode, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { rootFields, type AppOperation } from './app-operations.js';
import { operationForField, pascalCase, type GeneratedOperation } from './operation-for-field.js';
import { FOLDERS, MUTATIONS_FOLDER, PLANS, QUERIES_FOLDER, UNPLANNED, type RequestPlan } from './request-plan.js';
import { sampleVariables } from './sample-variables.js';
import { testScript } from './test-script.js';

type Operation = AppOperation | GeneratedOperation;

/** Values a fresh run starts from; the run fills in the rest. */
const ENVIRONMENT: readonly [string, string][] = [
  ['baseUrl', 'http://localhost:4000'],
  ['username', ''],
  // Strong enough for sign-up's strength check; the account is the run's own and deleted at its end.
  ['password', 'quiet-orbit-lantern-harbor-58'],
  ['newPassword', 'amber-glacier-violin-tundra-73'],
  ['token', ''],
  ['refreshToken', ''],
  ['signUpRefreshToken', ''],
  ['deviceId', ''],
  ['invitationId', ''],
  ['missingId', '00000000-0000-4000-8000-000000000000'],
];

function script(listen: 'prerequest' | 'test', exec: string[]) {
  return { listen, script: { type: 'text/javascript', exec } };
}

/** The document with `fields` added to the selection of each root field of its operation. */
function alsoSelecting(document: DocumentNode, fields: readonly string[]): DocumentNode {
  if (fields.length === 0) return document;
  const extra: FieldNode[] = fields.map((name) => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name } }));
  return {
    ...document,
    definitions: document.definitions.map((definition) =>
      definition.kind !== Kind.OPERATION_DEFINITION ? definition : {
        ...definition,
        selectionSet: {
          ...definition.selectionSet,
          selections: definition.selectionSet.selections.map((selection) =>
            selection.kind === Kind.FIELD && selection.selectionSet
              ? { ...selection, selectionSet: { ...selection.selectionSet, selections: [...selection.selectionSet.selections, ...extra] } }
              : selection,
          ),
        },
      },
    ),
  };
}

function requestItem(schema: GraphQLSchema, operation: Operation, plan: RequestPlan, title: string) {
  const root = operation.definition.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
  const description = rootFields(operation.definition)
    .map((field) => root?.getFields()[field]?.description)
    .filter((text): text is string => Boolean(text))
    .join('\n\n');
  const variables = sampleVariables(schema, operation.document, operation.definition, plan.variables);
  return {
    name: title,
    event: [...(plan.prerequest ? [script('prerequest', plan.prerequest)] : []), script('test', testScript(plan))],
    request: {
      ...(plan.anonymous ? { auth: { type: 'noauth' } } : {}),
      method: 'POST',
      header: [],
      body: { mode: 'graphql', graphql: { query: print(alsoSelecting(operation.document, plan.alsoSelect ?? [])), variables: JSON.stringify(variables, null, 2) } },
      url: { raw: '{{baseUrl}}/graphql', host: ['{{baseUrl}}'], path: ['graphql'] },
      ...(description ? { description } : {}),
    },
  };
}

/** App operations, then one generated operation per Query or Mutation field none of them selects. */
function allOperations(schema: GraphQLSchema, app: readonly AppOperation[]): Map<string, Operation> {
  const operations = new Map<string, Operation>();
  for (const operation of app) if (operation.definition.operation !== OperationTypeNode.SUBSCRIPTION) operations.set(operation.name, operation);
  const used = new Set([...operations.values()].flatMap((operation) => rootFields(operation.definition).map((field) => `${operation.definition.operation}.${field}`)));
  const roots: [('query' | 'mutation'), GraphQLObjectType | null | undefined][] = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]];
  for (const [kind, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      if (used.has(`${kind}.${field.name}`)) continue;
      let name = pascalCase(field.name);
      while (operations.has(name)) name += 'Field';
      operations.set(name, operationForField(kind, field, name));
    }
  }
  return operations;
}

function folders(schema: GraphQLSchema, operations: Map<string, Operation>) {
  const placed = new Set(FOLDERS.flatMap((folder) => folder.operations));
  const rest = [...operations.keys()].filter((name) => !placed.has(name)).sort();
  const kindOf = (name: string) => operations.get(name)?.definition.operation;
  const seen = new Set<string>();
  return FOLDERS.map((folder) => {
    const names =
      folder.name === QUERIES_FOLDER ? rest.filter((name) => kindOf(name) === OperationTypeNode.QUERY)
      : folder.name === MUTATIONS_FOLDER ? rest.filter((name) => kindOf(name) === OperationTypeNode.MUTATION)
      : folder.operations;
    const item = names.map((name) => {
      const operation = operations.get(name);
      if (!operation) throw new Error(`request-plan.ts places ${name}, which is neither an app operation nor a generated one: update the plan`);
      const title = seen.has(name) ? `${name} (again)` : name;
      seen.add(name);
      return requestItem(schema, operation, PLANS[name] ?? UNPLANNED, title);
    });
    return { name: folder.name, description: folder.description, item };
  });
}

/** Throws when a Query or Mutation field of the schema has no request (the promise of the collection). */
function assertEveryRootField(schema: GraphQLSchema, operations: Map<string, Operation>): void {
  const covered = new Set([...operations.values()].flatMap((operation) => rootFields(operation.definition).map((field) => `${operation.definition.operation}.${field}`)));
  const missing = (['query', 'mutation'] as const).flatMap((kind) =>
    Object.keys((kind === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields() ?? {})
      .map((field) => `${kind}.${field}`)
      .filter((key) => !covered.has(key)),
  );
  if (missing.length > 0) throw new Error(`no request for ${missing.join(', ')}`);
}

export interface PostmanFiles {
  collection: string;
  environment: string;
  /** Operations request-plan.ts does not know: their requests only check for an answer without an internal error. */
  unplanned: string[];
}

export function buildPostmanFiles(schemaText: string, app: readonly AppOperation[]): PostmanFiles {
  const schema = buildSchema(schemaText);
  const operations = allOperations(schema, app);
  assertEveryRootField(schema, operations);
  const collection = {
    info: {
      name: 'Smartlock GraphQL API',
      description: 'Generated from schema.graphql and the app\'s operations by `npm run postman`: do not edit by hand. Run it in order (Collection Runner or newman) with the "Smartlock (local)" environment.',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{token}}', type: 'string' }] },
    item: folders(schema, operations),
  };
  const environment = {
    name: 'Smartlock (local)',
    values: ENVIRONMENT.map(([key, value]) => ({ key, value, type: key.toLowerCase().includes('password') || key.toLowerCase().includes('token') ? 'secret' : 'default', enabled: true })),
    _postman_variable_scope: 'environment',
  };
  const unplanned = [...operations.keys()].filter((name) => !PLANS[name]).sort();
  return { collection: `${JSON.stringify(collection, null, 2)}\n`, environment: `${JSON.stringify(environment, null, 2)}\n`, unplanned };
}

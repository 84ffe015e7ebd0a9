/**
 * Variables for a request: environment references (`{{deviceId}}`) for what the run
 * creates or knows, placeholders of the right type for the rest. Postman substitutes
 * `{{…}}` inside the variables text, so string values may carry them.
 */
import {
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  typeFromAST,
  visit,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Values by argument (or input field) name, whatever field it belongs to. */
export const VALUES_BY_ARGUMENT: Readonly<Record<string, JsonValue>> = {
  deviceId: '{{deviceId}}',
  username: '{{username}}',
  toUsername: '{{username}}',
  usernameOrEmail: '{{username}}',
  password: '{{password}}',
  currentPassword: '{{password}}',
  newPassword: '{{newPassword}}',
  refreshToken: '{{refreshToken}}',
  idempotencyKey: '{{$randomUUID}}',
  name: 'Postman',
  deviceLabel: 'Postman',
  // Ids of things this run cannot make (rollouts, offers, passkeys...): a well-formed id nobody has.
  id: '{{missingId}}',
  offerId: '{{missingId}}',
  releaseId: '{{missingId}}',
  code: '000000',
  challenge: 'not-a-challenge',
  response: '{}',
  passkeyResponse: '{}',
  token: 'not-a-token',
  endpoint: 'https://push.example.invalid/postman',
  address: '{{username}}@example.invalid',
  first: 10,
  stages: [100],
  maxFailurePercent: 10,
};

/** A value of `type`, preferring the named one; nullable input fields without a named value are left out. */
export function sampleValue(type: GraphQLInputType, name: string, overrides: Readonly<Record<string, JsonValue>> = {}): JsonValue {
  const named = overrides[name] ?? VALUES_BY_ARGUMENT[name];
  if (named !== undefined) return named;
  const inner = getNullableType(type);
  if (isListType(inner)) return [sampleValue(inner.ofType, name, overrides)];
  if (isEnumType(inner)) return inner.getValues()[0]?.name ?? null;
  if (isInputObjectType(inner)) {
    const fields: Record<string, JsonValue> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) || (overrides[field.name] ?? VALUES_BY_ARGUMENT[field.name]) !== undefined) fields[field.name] = sampleValue(field.type, field.name, overrides);
    }
    return fields;
  }
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTimeISO':
        return '2026-01-01T00:00:00.000Z';
      case 'ID':
        return '{{missingId}}';
      default:
        return 'postman';
    }
  }
  return null;
}

/** The argument (or input field) name each variable is passed as, so `$id` gets an id. */
function argumentNamesOfVariables(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  visit(document, {
    Argument(node) {
      if (node.value.kind === Kind.VARIABLE && !names.has(node.value.name.value)) names.set(node.value.name.value, node.name.value);
    },
    ObjectField(node) {
      if (node.value.kind === Kind.VARIABLE && !names.has(node.value.name.value)) names.set(node.value.name.value, node.name.value);
    },
  });
  return names;
}

/** Variables for every required variable of the operation and every optional one with a named value. */
export function sampleVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  definition: OperationDefinitionNode,
  overrides: Readonly<Record<string, JsonValue>> = {},
): Record<string, JsonValue> {
  const argumentNames = argumentNamesOfVariables(document);
  const variables: Record<string, JsonValue> = {};
  for (const variable of definition.variableDefinitions ?? []) {
    const name = variable.variable.name.value;
    const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
    if (!type) throw new Error(`variable $${name}: type ${JSON.stringify(variable.type)} is not in the schema`);
    const override = overrides[name];
    if (override !== undefined) {
      variables[name] = override;
      continue;
    }
    const argument = argumentNames.get(name) ?? name;
    if (isNonNullType(type) || VALUES_BY_ARGUMENT[argument] !== undefined) variables[name] = sampleValue(type, argument, overrides);
  }
  return variables;
}

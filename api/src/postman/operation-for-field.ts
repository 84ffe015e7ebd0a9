/**
 * An operation for a Query or Mutation field that no app operation uses: its required
 * arguments (and those the run has a value for) as variables, and a small selection
 * of scalar fields, so every root field of schema.graphql gets a request.
 */
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  print,
  type DocumentNode,
  type GraphQLField,
  type GraphQLOutputType,
  type OperationDefinitionNode,
} from 'graphql';
import { VALUES_BY_ARGUMENT } from './sample-variables.js';

export interface GeneratedOperation {
  name: string;
  document: DocumentNode;
  definition: OperationDefinitionNode;
}

const NESTING_LIMIT = 2;

/** Leaf fields without required arguments; objects only when they have none of those (to a depth of two). */
function selectionOf(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isUnionType(named)) return '{ __typename }';
  if (!isObjectType(named) && !isInterfaceType(named)) return '{ __typename }';
  const fields = Object.values(named.getFields()).filter((field) => field.args.every((arg) => !isNonNullType(arg.type)));
  const leaves = fields.filter((field) => isLeafType(getNamedType(field.type))).map((field) => field.name);
  if (leaves.length > 0) return `{ ${leaves.join(' ')} }`;
  if (depth >= NESTING_LIMIT) return '{ __typename }';
  const nested = fields.map((field) => `${field.name} ${selectionOf(field.type, depth + 1)}`);
  return `{ __typename ${nested.join(' ')} }`;
}

export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export function operationForField(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, name: string): GeneratedOperation {
  const args = field.args.filter((arg) => isNonNullType(arg.type) || VALUES_BY_ARGUMENT[arg.name] !== undefined);
  const declared = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const text = `${kind} ${name}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selectionOf(field.type, 0)} }`;
  const document = parse(print(parse(text)));
  const definition = document.definitions[0];
  if (definition?.kind !== Kind.OPERATION_DEFINITION) throw new Error(`generated ${name} is not an operation`);
  return { name, document, definition };
}

import { Kind, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

/**
 * Metric labels for an operation. Client-chosen operation and field names are
 * unbounded, so the label is the first root field only if the schema has it.
 */
export function operationLabel(
  schema: GraphQLSchema,
  document: DocumentNode | undefined,
  operation: OperationDefinitionNode | undefined,
): { operation: string; type: string } {
  const definition = operation ?? document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!definition) return { operation: 'invalid', type: 'unknown' };
  const root = schema.getRootType(definition.operation);
  const first = definition.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  const name = first?.kind === Kind.FIELD ? first.name.value : undefined;
  return { operation: name && root?.getFields()[name] ? name : 'unknown', type: definition.operation };
}

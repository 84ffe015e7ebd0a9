/**
 * The operations the PWA sends (pwa/src/operations), read from the documents that
 * graphql-codegen compiled into pwa/src/gql/graphql.ts: already validated against
 * schema.graphql, with their fragments, and kept fresh by the codegen test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { apiRoot } from '../app/paths.js';

export interface AppOperation {
  name: string;
  document: DocumentNode;
  definition: OperationDefinitionNode;
}

const DOCUMENT = /^export const (\w+)Document = (\{.*\}) as unknown as DocumentNode/gm;

export const APP_DOCUMENTS_FILE = join(apiRoot(), '..', 'pwa', 'src', 'gql', 'graphql.ts');

export function appOperations(file: string = APP_DOCUMENTS_FILE): AppOperation[] {
  const generated = readFileSync(file, 'utf8');
  return [...generated.matchAll(DOCUMENT)].map(([, name, json]) => {
    const document = JSON.parse(json as string) as DocumentNode;
    const definition = document.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION);
    if (!definition) throw new Error(`${name}Document in ${file} has no operation`);
    return { name: name as string, document, definition };
  });
}

/** The schema fields an operation selects at its root (aliases resolved). */
export function rootFields(definition: OperationDefinitionNode): string[] {
  return definition.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
}

/**
 * The operations the PWA sends, as the text it sends them (printed from the
 * documents that graphql-codegen compiled into pwa/src/gql/graphql.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lexer, Source, TokenKind, print, type DocumentNode } from 'graphql';
import { apiRoot } from '../app/paths.js';

export interface PwaOperation {
  name: string;
  text: string;
  tokens: number;
}

const DOCUMENT = /^export const (\w+)Document = (\{.*\}) as unknown as DocumentNode/gm;

export function countTokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  return tokens;
}

export function pwaOperations(): PwaOperation[] {
  const generated = readFileSync(join(apiRoot(), '..', 'pwa', 'src', 'gql', 'graphql.ts'), 'utf8');
  return [...generated.matchAll(DOCUMENT)].map(([, name, json]) => {
    const text = print(JSON.parse(json as string) as DocumentNode);
    return { name: name as string, text, tokens: countTokens(text) };
  });
}

/** The PWA operation with the most tokens. */
export function largestPwaOperation(): PwaOperation {
  const operations = pwaOperations();
  if (operations.length === 0) throw new Error('no operations found in pwa/src/gql/graphql.ts');
  return operations.reduce((a, b) => (b.tokens > a.tokens ? b : a));
}

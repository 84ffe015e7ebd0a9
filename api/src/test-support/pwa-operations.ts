/**
 * The operations the PWA sends, as the text it sends them (printed from the
 * documents that graphql-codegen compiled into pwa/src/gql/graphql.ts).
 */
import { Lexer, Source, TokenKind, print } from 'graphql';
import { appOperations } from '../postman/app-operations.js';

export interface PwaOperation {
  name: string;
  text: string;
  tokens: number;
}

export function countTokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens += 1;
  return tokens;
}

export function pwaOperations(): PwaOperation[] {
  return appOperations().map(({ name, document }) => {
    const text = print(document);
    return { name, text, tokens: countTokens(text) };
  });
}

/** The PWA operation with the most tokens. */
export function largestPwaOperation(): PwaOperation {
  const operations = pwaOperations();
  if (operations.length === 0) throw new Error('no operations found in pwa/src/gql/graphql.ts');
  return operations.reduce((a, b) => (b.tokens > a.tokens ? b : a));
}

// Must come first: registers monaco's editor/JSON/GraphQL workers as same-origin Vite workers.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './playground.css';

import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAuthAwareFetcher } from './auth-aware-fetcher';
import { DEFAULT_HEADERS, DEFAULT_QUERY } from './default-documents';

const httpUrl = new URL('/graphql', window.location.href).href;
const wsUrl = httpUrl.replace(/^http/, 'ws'); // http → ws, https → wss, same host and port

const fetcher = createAuthAwareFetcher({ httpUrl, wsUrl });

const container = document.getElementById('root');
if (!container) throw new Error('#root element is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      defaultHeaders={DEFAULT_HEADERS}
      isHeadersEditorEnabled
      shouldPersistHeaders
      defaultEditorToolsVisibility="headers"
    />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ServicesContext } from './hooks/use-services';
import { createBrowserServices } from './lib/services';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <ServicesContext.Provider value={createBrowserServices()}>
      <App />
    </ServicesContext.Provider>
  </StrictMode>,
);

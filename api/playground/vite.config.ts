import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the self-hosted GraphiQL playground into `api/dist/playground`, served by the api at
 * `/playground/`. Everything (monaco workers included) is emitted as same-origin files: no CDN.
 */
export default defineConfig(({ command }) => {
  // React's production build whatever NODE_ENV `npm start` inherits (as the PWA's config does).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return {
    root,
    base: '/playground/',
    plugins: [react()],
    build: {
      outDir: fileURLToPath(new URL('../dist/playground', import.meta.url)),
      emptyOutDir: true,
      // GraphiQL + monaco are large by nature; the playground is a dev tool, not the PWA.
      chunkSizeWarningLimit: 6000,
      rolldownOptions: {
        onwarn(warning, warn) {
          // GraphiQL ships React Compiler output marked "use no memo"; dropping the directive in a
          // production bundle is harmless, and dozens of warnings would hide real ones.
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
          warn(warning);
        },
      },
    },
    worker: { format: 'es' },
  };
});

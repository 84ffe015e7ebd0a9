import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { reportInitialSize } from './build/report-initial-size.ts';

/** Paths the api answers itself: never the SPA shell, never cached by the service worker. */
const API_PATHS = [/^\/graphql/, /^\/auth\//, /^\/playground/, /^\/healthz/, /^\/readyz/, /^\/metrics/];

export default defineConfig(({ mode }) => {
  // VITE_API_TARGET points the dev proxy at another api (e.g. http://localhost:4300).
  const apiTarget = loadEnv(mode, process.cwd(), 'VITE_API_TARGET').VITE_API_TARGET || 'http://localhost:4000';
  return {
    plugins: [
      react(),
      VitePWA({
        strategies: 'generateSW',
        registerType: 'prompt',
        injectRegister: false,
        filename: 'sw.js',
        scope: '/',
        base: '/',
        manifest: {
          name: 'Smartlock',
          short_name: 'Smartlock',
          description: 'Lock, unlock and watch your smart locks.',
          theme_color: '#1d4ed8',
          background_color: '#0f172a',
          display: 'standalone',
          start_url: '/',
          scope: '/',
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          ],
        },
        workbox: {
          globPatterns: ['**/*.{html,js,css,png,svg,webmanifest}'],
          navigateFallback: '/index.html',
          navigateFallbackDenylist: API_PATHS,
          // The app keeps the last known state itself; GraphQL answers are never cached here.
          runtimeCaching: [],
          cleanupOutdatedCaches: true,
        },
      }),
      reportInitialSize(150),
    ],
    server: {
      proxy: {
        '/graphql': { target: apiTarget, ws: true, changeOrigin: true },
        // The refresh cookie (Path=/auth) is set by /graphql and sent to /auth/*, both through this origin.
        '/auth': { target: apiTarget, changeOrigin: true },
      },
    },
    build: { target: 'es2022', sourcemap: true },
  };
});

import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { appManifest } from './build/app-manifest.ts';
import { reportInitialSize } from './build/report-initial-size.ts';

/** Paths the api answers itself: never the SPA shell, never cached by the service worker. */
const API_PATHS = [/^\/graphql/, /^\/auth\//, /^\/playground/, /^\/healthz/, /^\/readyz/, /^\/metrics/];

export default defineConfig(({ command, mode }) => {
  // A build is always React's production build, whatever NODE_ENV the caller runs with: `npm start`
  // builds with the api's NODE_ENV (development by default), which would otherwise make Vite emit the
  // development build (larger, with the DevTools banner). Vite reads NODE_ENV after loading this file.
  if (command === 'build') process.env.NODE_ENV = 'production';
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
        manifest: appManifest,
        workbox: {
          // Every JS chunk, the lazily loaded pages too (app.tsx): they must open offline after a first visit.
          globPatterns: ['**/*.{html,js,css,png,svg,webmanifest}'],
          // For the install dialog only: not worth a phone's offline cache.
          globIgnores: ['screenshots/**'],
          navigateFallback: '/index.html',
          navigateFallbackDenylist: API_PATHS,
          // The app keeps the last known state itself; GraphQL answers are never cached here.
          runtimeCaching: [],
          cleanupOutdatedCaches: true,
          // Web push: shows notifications and opens the app on a tap (public/push-sw.js). The
          // generated worker keeps precaching and the offline shell.
          importScripts: ['/push-sw.js'],
        },
      }),
      reportInitialSize(100),
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

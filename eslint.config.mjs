import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    '.next/**',
    'node_modules/**',
    'test-results/**',
    'playwright-report/**',
    'next-env.d.ts',
    'data/**',
  ]),
  {
    // The layers, lowest first: domain → http, config, format → sources, demo → store, monitor →
    // auth → server → app. Client code (components, lib/hooks) sits beside server code and never
    // imports it. Each zone names what its target may NOT import; tests are exempt (they wire
    // real parts together on purpose). README "Architecture" draws the same picture.
    files: ['lib/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'app/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './lib/domain',
              from: ['./lib', './components', './app'],
              except: ['./domain'],
              message: 'lib/domain is pure and imports nothing of the app.',
            },
            {
              target: './lib/http',
              from: ['./lib', './components', './app'],
              except: ['./domain', './http'],
              message: 'lib/http is plumbing: it may import lib/domain only.',
            },
            {
              target: ['./lib/config', './lib/format.ts'],
              from: [
                './lib/server',
                './lib/auth',
                './lib/store',
                './lib/monitor',
                './lib/demo',
                './lib/hooks',
                './components',
                './app',
              ],
              message: 'config and format sit below every service.',
            },
            {
              target: ['./lib/sources', './lib/demo'],
              from: [
                './lib/server',
                './lib/auth',
                './lib/store',
                './lib/monitor',
                './lib/hooks',
                './components',
                './app',
              ],
              message: 'Sources and the demo upstream import only domain, config and http.',
            },
            {
              target: './lib/demo',
              from: './lib/sources',
              message:
                'The demo is an upstream: it speaks the wire formats and never borrows the adapters.',
            },
            {
              target: ['./lib/store', './lib/monitor'],
              from: [
                './lib/server',
                './lib/auth',
                './lib/alerts',
                './lib/hooks',
                './components',
                './app',
              ],
              message: 'The store and the monitor sit below auth and the server.',
            },
            {
              target: './lib/alerts',
              from: ['./lib/server', './lib/auth', './lib/hooks', './components', './app'],
              message:
                'Alert delivery sits below the server: it is handed the store and the feed, never the runtime.',
            },
            {
              target: './lib/auth',
              from: ['./lib/server', './lib/hooks', './components', './app'],
              message: 'lib/auth sits below lib/server.',
            },
            {
              target: './lib/server',
              from: ['./lib/hooks', './components', './app'],
              message: 'lib/server never imports client code or pages.',
            },
            {
              target: ['./components', './lib/hooks'],
              from: [
                './lib/server',
                './lib/store',
                './lib/sources',
                './lib/monitor',
                './lib/auth',
                './lib/config',
                './app',
              ],
              message:
                'Client code never imports server-only modules (pass data down from a page).',
            },
            {
              target: ['./components', './lib/hooks'],
              from: './lib/demo',
              // The fault catalogue is data the demo panel lists.
              except: ['./faults.ts'],
              message: 'Client code never imports the demo upstream.',
            },
          ],
        },
      ],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Recharts (~100 kB gzip) loads only where a chart is on screen. Only the chart modules (named
    // *-chart) import it, and everything else reaches a chart module through next/dynamic (a
    // ChartSlot with its placeholder, components/ui/chart-slot.tsx) or for its types only; a
    // static import would put the library back into the page's first-load JS.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/hooks/**/*.{ts,tsx}'],
    ignores: [
      '**/*.test.{ts,tsx}',
      'components/ui/time-series-chart.tsx',
      'components/sizing/downtime-chart.tsx',
      'app/history/_components/*-chart.tsx',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'recharts',
              allowTypeImports: true,
              message:
                'Draw with Recharts in a *-chart module and load that with next/dynamic (components/ui/chart-slot.tsx).',
            },
          ],
          patterns: [
            {
              group: ['**/*-chart'],
              allowTypeImports: true,
              message:
                'A chart module carries Recharts: load it with next/dynamic behind a ChartSlot (components/ui/chart-slot.tsx), or import its types only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/domain/**/*.ts'],
    ignores: ['lib/domain/**/*.test.ts'],
    rules: {
      // The domain stays pure: no I/O, no framework.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'next',
                'next/*',
                'react',
                'react-dom',
                'node:*',
                'fs',
                'http',
                'https',
                'net',
                'undici',
                '@/lib/sources/*',
                '@/lib/monitor/*',
                '@/lib/demo/*',
                '@/lib/store/*',
              ],
              message: 'lib/domain is pure: no I/O, no framework imports.',
            },
          ],
        },
      ],
    },
  },
]);

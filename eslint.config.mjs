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

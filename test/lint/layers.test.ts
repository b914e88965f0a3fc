// The layer rules in eslint.config.mjs, exercised the way CI meets them: a wrong import in a
// lower layer fails lint, the same import where the layers allow it passes.
import { ESLint } from 'eslint';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(() => {
  // no-cycle reads files from disk and cannot follow text that is not there; `npm run lint` runs it.
  eslint = new ESLint({ cwd: root, overrideConfig: { rules: { 'import/no-cycle': 'off' } } });
}, 60_000);

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'import/no-restricted-paths')
    .map((m) => m.message);
}

describe('layer rules', () => {
  it('a pure domain module may not import the server', async () => {
    const errors = await layerErrors(
      'lib/domain/zz-layer-check.ts',
      "import { getRuntime } from '@/lib/server/runtime';\nexport const x = getRuntime;\n",
    );
    expect(errors).toEqual([expect.stringContaining('lib/domain is pure')]);
  }, 60_000);

  it('client components may not import server-only modules', async () => {
    const errors = await layerErrors(
      'components/zz-layer-check.ts',
      "import { openStore } from '@/lib/store';\nexport const x = openStore;\n",
    );
    expect(errors).toEqual([expect.stringContaining('Client code never imports')]);
  }, 60_000);

  it('the store may not import auth, the monitor the server', async () => {
    expect(
      await layerErrors(
        'lib/store/zz-layer-check.ts',
        "import { audit } from '@/lib/auth/audit';\nexport const x = audit;\n",
      ),
    ).toEqual([expect.stringContaining('below auth and the server')]);
    expect(
      await layerErrors(
        'lib/monitor/zz-layer-check.ts',
        "import { getRuntime } from '@/lib/server/runtime';\nexport const x = getRuntime;\n",
      ),
    ).toEqual([expect.stringContaining('below auth and the server')]);
  }, 60_000);

  it('alert delivery may not reach for the runtime', async () => {
    expect(
      await layerErrors(
        'lib/alerts/zz-layer-check.ts',
        "import { getRuntime } from '@/lib/server/runtime';\nexport const x = getRuntime;\n",
      ),
    ).toEqual([expect.stringContaining('Alert delivery sits below the server')]);
  }, 60_000);

  it('the same import is allowed where the layers run downward', async () => {
    expect(
      await layerErrors(
        'lib/server/zz-layer-check.ts',
        "import { openStore } from '@/lib/store';\nexport const x = openStore;\n",
      ),
    ).toEqual([]);
    expect(
      await layerErrors(
        'components/zz-layer-check.ts',
        "import { majority } from '@/lib/domain/quorum';\nexport const x = majority;\n",
      ),
    ).toEqual([]);
  }, 60_000);
});

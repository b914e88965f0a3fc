import { describe, expect, it, vi } from 'vitest';

// A live console has no demo cluster: the demo routes must not exist for it.
vi.mock('@/lib/server/runtime', () => ({ getRuntime: async () => ({ demo: null }) }));

const { POST: faults } = await import('./faults/route');
const { POST: reset } = await import('./reset/route');

describe('demo routes in live mode', () => {
  it('answer 404 and change nothing', async () => {
    const request = new Request('http://console.test/api/demo/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'dtr-node-1', kind: 'stop' }),
    });
    const response = await faults(request);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
    expect((await reset()).status).toBe(404);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { ADMIN, fakeRuntime, signedInHeaders } from '@/test/support/auth';

// A live console has no demo cluster: the demo routes must not exist for it.
vi.mock('@/lib/server/runtime', () => ({
  getRuntime: async () => ({ ...fakeRuntime('https://ucp.invalid'), demo: null }),
}));

const { POST: faults } = await import('./faults/route');
const { POST: reset } = await import('./reset/route');

describe('demo routes in live mode', () => {
  it('answer 404 to an admin and change nothing', async () => {
    const headers = await signedInHeaders(ADMIN);
    const request = new Request('http://console.test/api/demo/faults', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ target: 'dtr-node-1', kind: 'stop' }),
    });
    const response = await faults(request, undefined);
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
    const resetRequest = new Request('http://console.test/api/demo/reset', {
      method: 'POST',
      headers,
    });
    expect((await reset(resetRequest, undefined)).status).toBe(404);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { ADMIN, fakeRuntime, signedInHeaders } from '@/test/support/auth';

// A live console has no demo cluster: applying a command there must not exist.
vi.mock('@/lib/server/runtime', () => ({
  getRuntime: async () => ({ ...fakeRuntime('https://ucp.invalid'), demo: null }),
}));

const { POST } = await import('./route');

describe('POST /api/wizards/runs/<id>/apply in live mode', () => {
  it('answers 404 to an administrator', async () => {
    const id = 'a8c7c1a4-0000-4000-8000-000000000000';
    const request = new Request(`http://console.test/api/wizards/runs/${id}/apply`, {
      method: 'POST',
      headers: await signedInHeaders(ADMIN),
    });
    const response = await POST(request, { params: Promise.resolve({ id }) });
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toMatch(/only in demo mode/);
  });
});

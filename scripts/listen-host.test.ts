import { describe, expect, it } from 'vitest';
import { isDemoMode, listenHost } from './listen-host.mjs';

describe('listenHost (npm start)', () => {
  it('binds the demo to loopback: its sign-in page shows the demo passwords', () => {
    expect(isDemoMode({})).toBe(true);
    expect(listenHost({})).toBe('127.0.0.1');
    expect(listenHost({ UCP_URL: '  ', PORT: '3000' })).toBe('127.0.0.1');
  });

  it('lets HOSTNAME or -H/--hostname say otherwise', () => {
    expect(listenHost({ HOSTNAME: '0.0.0.0' })).toBe('0.0.0.0');
    expect(listenHost({}, ['-H', '0.0.0.0'])).toBeNull();
    expect(listenHost({}, ['--hostname=::'])).toBeNull();
  });

  it("leaves live mode to Next's default (every interface), as before", () => {
    for (const env of [
      { UCP_URL: 'https://ucp.example.com', DTR_URL: 'https://dtr.example.com' },
      { DOCKER_HOST: 'tcp://manager:2376' },
    ]) {
      expect(isDemoMode(env)).toBe(false);
      expect(listenHost({ ...env, HOSTNAME: 'container-id' })).toBeNull();
    }
  });
});

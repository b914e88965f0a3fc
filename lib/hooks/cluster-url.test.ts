import { describe, expect, it } from 'vitest';
import { withClusterBase } from './cluster-url';

describe('withClusterBase', () => {
  it('keeps a page under /c/<name> inside its cluster, for pages and the API', () => {
    expect(withClusterBase('/replicas', '/c/dr/nodes')).toBe('/c/dr/replicas');
    expect(withClusterBase('/api/status', '/c/dr')).toBe('/c/dr/api/status');
    expect(withClusterBase('/api/nodes?limit=5&sort=state', '/c/dr/nodes')).toBe(
      '/c/dr/api/nodes?limit=5&sort=state',
    );
    expect(withClusterBase('/', '/c/dr/replicas')).toBe('/c/dr');
  });

  it('leaves a one-cluster console’s URLs alone', () => {
    expect(withClusterBase('/replicas', '/nodes')).toBe('/replicas');
    expect(withClusterBase('/api/status', '/')).toBe('/api/status');
  });

  it('never prefixes what belongs to the whole console, another cluster or another site', () => {
    expect(withClusterBase('/login?next=%2F', '/c/dr/nodes')).toBe('/login?next=%2F');
    expect(withClusterBase('/api/auth/logout', '/c/dr')).toBe('/api/auth/logout');
    expect(withClusterBase('/api/fleet', '/c/dr')).toBe('/api/fleet');
    expect(withClusterBase('/c/prod/replicas', '/c/dr')).toBe('/c/prod/replicas');
    expect(withClusterBase('https://docs.mirantis.com/', '/c/dr')).toBe(
      'https://docs.mirantis.com/',
    );
    expect(withClusterBase('//evil.example/', '/c/dr')).toBe('//evil.example/');
    expect(withClusterBase('#main', '/c/dr')).toBe('#main');
  });
});

import { describe, expect, it } from 'vitest';
import { authorize, requiredAccess, roleOf, type Decision, type Role } from './permissions';

const ROLES: Role[] = ['anonymous', 'viewer', 'admin'];

type Row = [method: string, path: string, anonymous: Decision, viewer: Decision, admin: Decision];

const A = 'allow';
const U = 'unauthenticated';
const F = 'forbidden';

// Every route the console serves today and the ones this issue adds, by method.
const MATRIX: Row[] = [
  ['GET', '/', U, A, A],
  ['GET', '/sizing', U, A, A],
  ['GET', '/wizards/join', U, A, A],
  ['GET', '/login', A, A, A],
  ['GET', '/_next/static/chunks/main.js', A, A, A],
  ['GET', '/favicon.ico', A, A, A],
  ['GET', '/robots.txt', A, A, A],
  ['GET', '/icon.svg', A, A, A],
  ['GET', '/icon-192.png', A, A, A],
  ['GET', '/manifest.webmanifest', A, A, A],
  // The page explains itself to a viewer; the data behind it (/api/audit) stays admin-only.
  ['GET', '/audit', U, A, A],
  ['POST', '/', U, F, A],
  ['POST', '/login', U, F, A],
  ['POST', '/api/auth/login', A, A, A],
  ['POST', '/api/auth/logout', A, A, A],
  ['GET', '/api/auth/me', U, A, A],
  ['GET', '/api/status', U, A, A],
  ['HEAD', '/api/status', U, A, A],
  ['GET', '/api/events', U, A, A],
  ['GET', '/api/history', U, A, A],
  ['GET', '/api/load-balancer/config', U, A, A],
  ['GET', '/api/audit', U, F, A],
  ['POST', '/api/demo/faults', U, F, A],
  ['POST', '/api/demo/reset', U, F, A],
  ['POST', '/api/wizards/join/verify', U, F, A],
  ['PUT', '/api/status', U, F, A],
  ['DELETE', '/api/history', U, F, A],
  ['PATCH', '/api/anything-new', U, F, A],
  ['GET', '/api/anything-new', U, A, A],
  // Tricks that must not reach a public rule.
  ['GET', '/login/../api/status', U, A, A],
  ['GET', '//api/status', U, A, A],
  ['GET', '/api/status/', U, A, A],
  ['GET', '/api/auth/login', U, A, A],
  ['GET', '/api/x.png', U, A, A],
  ['POST', '/favicon.ico', U, F, A],
];

describe('authorize: anonymous / viewer / admin × route × method', () => {
  for (const [method, path, ...expected] of MATRIX) {
    it(`${method} ${path}`, () => {
      expect(ROLES.map((role) => authorize(role, method, path))).toEqual(expected);
    });
  }
});

describe('scrape routes (/api/metrics, /api/healthz)', () => {
  it('/api/healthz: open when no token is configured or the token matches; else viewers only', () => {
    const path = '/api/healthz';
    expect(authorize('anonymous', 'GET', path, { scrapeAllowed: true })).toBe('allow');
    expect(authorize('anonymous', 'GET', path, { scrapeAllowed: false })).toBe('unauthenticated');
    expect(authorize('anonymous', 'GET', path)).toBe('unauthenticated');
    expect(authorize('viewer', 'GET', path)).toBe('allow');
    expect(authorize('viewer', 'POST', path)).toBe('forbidden');
  });

  it('/api/metrics: the token or a session, even when no token is configured', () => {
    const path = '/api/metrics';
    expect(authorize('anonymous', 'GET', path, { scrapeAllowed: true })).toBe('unauthenticated');
    expect(authorize('anonymous', 'GET', path, { metricsTokenValid: true })).toBe('allow');
    expect(authorize('anonymous', 'GET', path)).toBe('unauthenticated');
    expect(authorize('viewer', 'GET', path)).toBe('allow');
    expect(authorize('viewer', 'POST', path)).toBe('forbidden');
  });
});

describe('requiredAccess', () => {
  it('protects unknown routes by default', () => {
    expect(requiredAccess('GET', '/brand-new-page')).toBe('viewer');
    expect(requiredAccess('POST', '/api/brand-new')).toBe('admin');
  });
});

describe('roleOf', () => {
  it('maps users to roles', () => {
    expect(roleOf(null)).toBe('anonymous');
    expect(roleOf({ isAdmin: false })).toBe('viewer');
    expect(roleOf({ isAdmin: true })).toBe('admin');
  });
});

describe('signed in without a role on the cluster ("none")', () => {
  it('opens only the public routes, and says "no access" rather than "sign in"', () => {
    expect(authorize('none', 'GET', '/login')).toBe('allow');
    expect(authorize('none', 'POST', '/api/auth/logout')).toBe('allow');
    expect(authorize('none', 'GET', '/api/status')).toBe('no-access');
    expect(authorize('none', 'GET', '/replicas')).toBe('no-access');
    expect(authorize('none', 'POST', '/api/demo/reset')).toBe('no-access');
    expect(authorize('none', 'GET', '/api/metrics')).toBe('no-access');
    expect(authorize('none', 'GET', '/api/metrics', { metricsTokenValid: true })).toBe('allow');
    expect(authorize('none', 'GET', '/api/healthz', { scrapeAllowed: true })).toBe('allow');
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeConsoleUrl } from './console-url';
import { PrometheusOptionsSchema } from './alerts/prometheus-options';

describe('normalizeConsoleUrl (LB permalinks and Prometheus runbook links alike)', () => {
  it('keeps scheme, host, port and path prefix, without a trailing slash', () => {
    expect(normalizeConsoleUrl('https://console.example.com:8443/dtr/')).toBe(
      'https://console.example.com:8443/dtr',
    );
    expect(normalizeConsoleUrl('http://[::1]:3000')).toBe('http://[::1]:3000');
  });

  it.each([
    ['credentials', 'https://ops:secret@console.example.com'],
    ['a query', 'https://console.example.com/?next=evil'],
    ['a fragment', 'https://console.example.com/#x'],
    ['another scheme', 'javascript:alert(1)'],
    ['a right-to-left override', 'https://console.example\u202e.com'],
    ['a zero-width space', 'https://console\u200b.example.com'],
    ['a space', 'https://console example.com'],
  ])('refuses %s', (_what, value) => {
    expect(normalizeConsoleUrl(value)).toBeNull();
  });

  it('is the rule the Prometheus options apply: a hidden character is a 400, not a runbook link', () => {
    const parsed = PrometheusOptionsSchema.safeParse({
      consoleUrl: 'https://console\u200b.example.com',
    });
    expect(parsed.success).toBe(false);
  });
});

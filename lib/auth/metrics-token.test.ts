import { describe, expect, it } from 'vitest';
import { metricsTokenSent, scrapeFlags } from './metrics-token';

describe('metricsTokenSent', () => {
  it('accepts the configured token as a Bearer credential, in any case of the scheme', () => {
    expect(metricsTokenSent('Bearer s3cret', 's3cret')).toBe(true);
    expect(metricsTokenSent('bearer   s3cret', 's3cret')).toBe(true);
  });
  it('refuses another token, another scheme, extra words, or no token configured', () => {
    expect(metricsTokenSent('Bearer s3cre', 's3cret')).toBe(false);
    expect(metricsTokenSent('Basic s3cret', 's3cret')).toBe(false);
    expect(metricsTokenSent('Bearer s3cret extra', 's3cret')).toBe(false);
    expect(metricsTokenSent(null, 's3cret')).toBe(false);
    expect(metricsTokenSent('Bearer s3cret', null)).toBe(false);
    expect(metricsTokenSent('Bearer x', '')).toBe(false);
  });
});

describe('scrapeFlags', () => {
  it('allows the scrape when auth is off or no token is configured', () => {
    expect(scrapeFlags(null, { enabled: false, metricsToken: 't' }).scrapeAllowed).toBe(true);
    expect(scrapeFlags(null, { enabled: true, metricsToken: null }).scrapeAllowed).toBe(true);
  });
  it('with auth on and a token set, allows it only with the token', () => {
    expect(scrapeFlags(null, { enabled: true, metricsToken: 't' })).toEqual({
      scrapeAllowed: false,
      metricsTokenValid: false,
    });
    expect(scrapeFlags('Bearer t', { enabled: true, metricsToken: 't' })).toEqual({
      scrapeAllowed: true,
      metricsTokenValid: true,
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LB_OPTION_DEFAULTS, LB_KINDS, LbOptionsSchema } from '@/lib/domain/lb';
import {
  formStateOf,
  lbQueryOf,
  optionsFromForm,
  parseLbSearchParams,
  type LbFormState,
} from './lb-params';

const AT = '2024-05-01T12:00:00.000Z';

describe('parseLbSearchParams', () => {
  it('gives HAProxy with the defaults for an empty address', () => {
    const { options, problems } = parseLbSearchParams({}, AT);
    expect(problems).toEqual([]);
    expect(options).toMatchObject({ kind: 'haproxy', ...LB_OPTION_DEFAULTS, generatedAt: AT });
  });

  it('reads the settings a link carries', () => {
    const { options, problems } = parseLbSearchParams(
      { kind: 'elb', checkIntervalMs: '10000', fall: '4', httpsPort: '8443' },
      AT,
    );
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      kind: 'elb',
      checkIntervalMs: 10_000,
      fall: 4,
      httpsPort: 8443,
    });
  });

  it('falls back per setting and names each one it could not use', () => {
    const { options, problems } = parseLbSearchParams(
      { kind: 'haproxy', fall: 'many', rise: '3', inter: '2s', httpPort: ['8080', '9090'] },
      AT,
    );
    expect(options).toMatchObject({ fall: 3, rise: 3, httpPort: 8080 });
    expect(problems).toEqual([
      { param: 'httpPort', value: '8080, 9090', message: 'given more than once; the first counts' },
      { param: 'inter', value: '2s', message: 'not a setting of this page' },
      { param: 'fall', value: 'many', message: 'must be a whole number from 1 to 10' },
    ]);
  });

  it('turns an unknown kind into HAProxy', () => {
    const { options, problems } = parseLbSearchParams({ kind: 'f5' }, AT);
    expect(options.kind).toBe('haproxy');
    expect(problems).toEqual([
      { param: 'kind', value: 'f5', message: 'must be one of: haproxy, nginx, elb' },
    ]);
  });

  it('drops the given setting when a rule between two settings fails on a default', () => {
    // The default check timeout (2 s) is not shorter than a 1 s interval: the interval goes.
    const { options, problems } = parseLbSearchParams({ checkIntervalMs: '1000' }, AT);
    expect(options.checkIntervalMs).toBe(LB_OPTION_DEFAULTS.checkIntervalMs);
    expect(problems).toEqual([
      {
        param: 'checkIntervalMs',
        value: '1000',
        message: 'checkTimeoutMs must be shorter than checkIntervalMs (2000 ≥ 1000)',
      },
    ]);
  });

  it('applies the ELB limits', () => {
    const { options, problems } = parseLbSearchParams(
      { kind: 'elb', checkIntervalMs: '2500', stats: 'true' },
      AT,
    );
    expect(options).toMatchObject({ kind: 'elb', checkIntervalMs: 5000, stats: false });
    expect(problems.map((p) => p.param).sort()).toEqual(['checkIntervalMs', 'stats']);
  });

  it('always ends with options the generator takes, whatever the address says', () => {
    const value = fc.oneof(
      fc.constantFrom('', '0', '1', '443', '80', '500', '2000', 'true', 'false', 'http', 'x'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('kind', ...Object.keys(LB_OPTION_DEFAULTS), 'other'),
          fc.oneof(value, fc.constantFrom(...LB_KINDS)),
        ),
        (params) => {
          const { options } = parseLbSearchParams(params, AT);
          expect(LbOptionsSchema.safeParse(options).success).toBe(true);
        },
      ),
    );
  });
});

describe('the form', () => {
  it('round-trips through the address: options → query → options', () => {
    const { options } = parseLbSearchParams(
      { kind: 'haproxy', checkIntervalMs: '3000', stats: 'true', statsPort: '9000' },
      AT,
    );
    const query = lbQueryOf(options);
    expect(query).toBe('kind=haproxy&checkIntervalMs=3000&stats=true&statsPort=9000');
    const again = parseLbSearchParams(Object.fromEntries(new URLSearchParams(query)), AT);
    expect(again.options).toEqual(options);
  });

  it('validates only what the chosen kind uses, and reports refused fields by name', () => {
    const form: LbFormState = {
      ...formStateOf(parseLbSearchParams({}, AT).options),
      checkIntervalMs: '12',
    };
    expect(optionsFromForm(form, AT).problems.map((p) => p.param)).toEqual(['checkIntervalMs']);
    // NGINX has no active checks: the interval is not its business.
    const nginx = optionsFromForm({ ...form, kind: 'nginx' }, AT);
    expect(nginx.problems).toEqual([]);
    expect(lbQueryOf(nginx.options)).toBe('kind=nginx');
  });

  it('refuses swapped ports in the form, naming both fields, and falls back to 80/443', () => {
    const form: LbFormState = {
      ...formStateOf(parseLbSearchParams({}, AT).options),
      httpPort: '443',
      httpsPort: '80',
    };
    const resolved = optionsFromForm(form, AT);
    const byField = Object.fromEntries(resolved.problems.map((p) => [p.param, p.message]));
    expect(byField.httpPort).toMatch(/^is 443 and httpsPort is 80: the two are swapped\./);
    expect(byField.httpsPort).toMatch(/the two are swapped; use httpPort=80 and httpsPort=443$/);
    expect([resolved.options.httpPort, resolved.options.httpsPort]).toEqual([80, 443]);
  });
});

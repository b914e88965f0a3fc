import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAlertingConfig, parseChannelsFile } from './alerts';
import { ConfigError } from './model';

const DEFAULTS = { port: 3000, pollIntervalMs: 2000, clusterName: 'demo' };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('alerting configuration', () => {
  it('has defaults: critical fires after 10 s, warning after 60 s, repeat every 4 h', () => {
    const config = loadAlertingConfig(DEFAULTS, {});
    expect(config.policy).toMatchObject({
      forMs: { critical: 10_000, warning: 60_000 },
      repeatMs: 14_400_000,
    });
    expect(config.consoleUrl).toBe('http://localhost:3000');
    expect(config.fileChannels).toEqual([]);
  });

  it('names the variable and gives an example for each bad value', () => {
    expect(
      problems(() =>
        loadAlertingConfig(DEFAULTS, {
          ALERT_FOR_CRITICAL_MS: '10s',
          CONSOLE_URL: 'ftp://x',
          ALERT_RETRIES: '12',
        }),
      ),
    ).toEqual([
      'ALERT_FOR_CRITICAL_MS: expected a whole number of milliseconds from 0 to 86400000, got "10s" (e.g. ALERT_FOR_CRITICAL_MS=10000)',
      'ALERT_RETRIES: expected a whole number from 0 to 9, got "12" (e.g. ALERT_RETRIES=2)',
      'CONSOLE_URL: must start with http:// or https://, got ftp:// (e.g. CONSOLE_URL=https://dtr-console.example.com)',
    ]);
  });

  it('reads channels from YAML, secrets from the environment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'alerts-config-'));
    dirs.push(dir);
    const file = path.join(dir, 'channels.yaml');
    writeFileSync(
      file,
      [
        'channels:',
        '  - name: pager',
        '    kind: webhook',
        '    url: https://hooks.example.com/console',
        '    secretEnv: PAGER_SECRET',
        '    minSeverity: critical',
        '  - name: am',
        '    kind: alertmanager',
        '    url: http://alertmanager:9093',
      ].join('\n'),
    );
    const config = loadAlertingConfig(DEFAULTS, {
      ALERT_CHANNELS_FILE: file,
      PAGER_SECRET: 'p'.repeat(32),
    });
    expect(config.fileChannels).toEqual([
      {
        name: 'pager',
        kind: 'webhook',
        url: 'https://hooks.example.com/console',
        secret: 'p'.repeat(32),
        minSeverity: 'critical',
        enabled: true,
      },
      {
        name: 'am',
        kind: 'alertmanager',
        url: 'http://alertmanager:9093',
        secret: null,
        minSeverity: 'warning',
        enabled: true,
      },
    ]);
    expect(
      problems(() =>
        loadAlertingConfig(DEFAULTS, { ALERT_CHANNELS_FILE: path.join(dir, 'missing.yaml') }),
      )[0],
    ).toMatch(/^ALERT_CHANNELS_FILE: cannot read .*missing\.yaml \(ENOENT\)/);
  });

  it('one sentence per problem, naming the channel and the field', () => {
    const json = JSON.stringify([
      { name: 'ops', kind: 'sms', url: 'https://x.example.com' },
      { name: 'hook', kind: 'webhook', url: 'https://u:p@x.example.com/h' },
      {
        name: 'slack',
        kind: 'slack',
        url: 'https://hooks.slack.com/services/a/b/c',
        colour: 'red',
      },
      { kind: 'teams' },
    ]);
    expect(problems(() => parseChannelsFile(json, '/etc/console/channels.json'))).toEqual([
      'ALERT_CHANNELS_FILE (/etc/console/channels.json): channel "ops", field kind: must be one of webhook, slack, teams, alertmanager',
      'ALERT_CHANNELS_FILE (/etc/console/channels.json): channel "hook", field url: must not carry a user name or password; put a webhook token in the secret, or in the path as the service requires',
      'ALERT_CHANNELS_FILE (/etc/console/channels.json): channel "slack", field entry: unknown field(s) colour (fields: name, kind, url, secret, secretEnv, minSeverity, enabled)',
      'ALERT_CHANNELS_FILE (/etc/console/channels.json): channel #4, field name: is required',
      'ALERT_CHANNELS_FILE (/etc/console/channels.json): channel #4, field url: is required',
    ]);
    expect(
      problems(() =>
        parseChannelsFile(
          JSON.stringify([{ name: 'hook', kind: 'webhook', url: 'https://x.example.com/h' }]),
          '/c.json',
        ),
      ),
    ).toEqual([
      'ALERT_CHANNELS_FILE (/c.json): channel "hook", field secret: a generic webhook needs a signing secret (secret or secretEnv), so receivers can check the signature',
    ]);
    expect(problems(() => parseChannelsFile('channels: [', '/c.yaml'))[0]).toMatch(
      /^ALERT_CHANNELS_FILE \(\/c\.yaml\): not valid YAML: /,
    );
  });
});

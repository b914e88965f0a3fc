import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { maskUrl, urlProblem } from '@/lib/domain/alerts/channels';
import { deliver, signature, SIGNATURE_HEADER } from './deliver';
import {
  alertmanagerAlert,
  bodyFor,
  sampleIncident,
  slackBody,
  teamsBody,
  webhookBody,
  type AlertmanagerAlert,
} from './payloads';
import { openSecrets, sealSecrets, SecretUnreadableError } from './secrets';

const SESSION = 'a-session-secret-of-at-least-32-characters!!';
const NOW = new Date('2024-05-01T12:00:00.000Z');
const CTX = { consoleUrl: 'https://console.example.com', cluster: 'prod-eu', now: NOW };

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function receiver(answer: (n: number, req: IncomingMessage, body: string) => number) {
  const seen: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.statusCode = answer(seen.length, req, body);
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen };
}

describe('channel secrets', () => {
  it('round-trips under the same SESSION_SECRET and refuses another, without saying the secret', () => {
    const sealed = sealSecrets(
      { url: 'https://hooks.slack.com/services/T0/B0/XyZ', secret: null },
      SESSION,
    );
    expect(sealed).not.toContain('hooks.slack.com');
    expect(sealed).not.toContain('XyZ');
    expect(openSecrets(sealed, SESSION)).toEqual({
      url: 'https://hooks.slack.com/services/T0/B0/XyZ',
      secret: null,
    });
    expect(() => openSecrets(sealed, `${SESSION}x`)).toThrow(SecretUnreadableError);
    expect(() => openSecrets(sealed, `${SESSION}x`)).toThrow(/SESSION_SECRET changed/);
    // Two seals of one value differ (fresh IV each time).
    expect(sealSecrets({ url: 'https://a', secret: 's' }, SESSION)).not.toBe(
      sealSecrets({ url: 'https://a', secret: 's' }, SESSION),
    );
  });
});

describe('channel URLs', () => {
  it('refuses other schemes and credentials, and masks tokens when shown back', () => {
    expect(urlProblem('ftp://hooks.example.com/x')).toMatch(/http:\/\/ or https:\/\//);
    expect(urlProblem('https://bob:pw@hooks.example.com/x')).toMatch(
      /must not carry a user name or password/,
    );
    expect(urlProblem('not a url')).toMatch(/is not a valid URL/);
    expect(urlProblem('https://hooks.example.com/x')).toBeNull();
    expect(maskUrl('https://hooks.slack.com/services/T000/B000/SECRETTOKEN')).toBe(
      'https://hooks.slack.com/services/T000/…',
    );
    expect(maskUrl('https://h.example.com/hook?token=abc')).toBe('https://h.example.com/hook?…');
    expect(maskUrl('http://am.example.com:9093')).toBe('http://am.example.com:9093/');
  });
});

describe('deliver', () => {
  it('signs the raw body with the channel secret; a receiver recomputes the same HMAC', async () => {
    const r = await receiver(() => 204);
    const body = webhookBody(sampleIncident(NOW), 'test', CTX);
    const result = await deliver(
      { kind: 'webhook', url: r.url, secret: 's3cret-s3cret-s3cret' },
      body,
      {
        timeoutMs: 2000,
        retries: 0,
        backoffMs: 0,
      },
    );
    expect(result).toEqual({ ok: true, attempts: 1, status: 204, error: null });
    const got = r.seen[0]!;
    expect(got.headers[SIGNATURE_HEADER.toLowerCase()]).toBe(
      signature(got.body, 's3cret-s3cret-s3cret'),
    );
    expect(got.headers[SIGNATURE_HEADER.toLowerCase()]).not.toBe(
      signature(got.body, 'another-secret'),
    );
    expect(JSON.parse(got.body)).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it('retries 5xx with backoff, stops at a 4xx, and says what failed without the URL path', async () => {
    const flaky = await receiver((n) => (n === 1 ? 500 : 200));
    expect(
      await deliver(
        { kind: 'slack', url: flaky.url, secret: null },
        {},
        { timeoutMs: 2000, retries: 2, backoffMs: 10 },
      ),
    ).toMatchObject({
      ok: true,
      attempts: 2,
    });
    const gone = await receiver(() => 404);
    const result = await deliver(
      { kind: 'slack', url: gone.url, secret: null },
      {},
      { timeoutMs: 2000, retries: 2, backoffMs: 10 },
    );
    expect(result).toMatchObject({ ok: false, attempts: 1, status: 404 });
    expect(result.error).toMatch(/^127\.0\.0\.1:\d+ answered HTTP 404$/);
    const closed = await receiver(() => 200);
    await new Promise((r) => servers.pop()!.close(r));
    const down = await deliver(
      { kind: 'webhook', url: closed.url, secret: null },
      {},
      { timeoutMs: 2000, retries: 1, backoffMs: 10 },
    );
    expect(down).toMatchObject({
      ok: false,
      attempts: 2,
      status: null,
      error: `${new URL(closed.url).host} refused the connection`,
    });
  });

  it('posts Alertmanager alerts to /api/v2/alerts under the base URL', async () => {
    const am = await receiver(() => 200);
    const base = am.url.replace(/\/hook$/, '/am');
    await deliver({ kind: 'alertmanager', url: base, secret: null }, [], {
      timeoutMs: 2000,
      retries: 0,
      backoffMs: 0,
    });
    expect(am.seen).toHaveLength(1);
  });
});

describe('payloads', () => {
  const incident = {
    ...sampleIncident(NOW),
    href: '/replicas/remove?replica=000000000000',
    command: 'docker ps',
  };

  it('webhook JSON: the documented fields', () => {
    expect(webhookBody(incident, 'firing', CTX)).toMatchObject({
      version: 1,
      kind: 'firing',
      cluster: 'prod-eu',
      incident: {
        status: 'firing',
        severity: 'critical',
        code: 'DTR_QUORUM_AT_RISK',
        consequence: incident.detail,
        nextStep: incident.nextStep,
        command: 'docker ps',
        url: 'https://console.example.com/replicas/remove?replica=000000000000',
      },
    });
  });

  it('Slack and Teams say what, the consequence, the first step and link to the console', () => {
    const slack = JSON.stringify(slackBody(incident, 'firing', CTX));
    const teams = JSON.stringify(teamsBody(incident, 'firing', CTX));
    for (const text of [slack, teams]) {
      expect(text).toContain('[FIRING critical] prod-eu');
      expect(text).toContain(incident.detail);
      expect(text).toContain(incident.nextStep);
      expect(text).toContain('https://console.example.com/replicas/remove?replica=000000000000');
    }
    const resolved = { ...incident, phase: 'resolved' as const, resolvedAt: NOW.toISOString() };
    expect(JSON.stringify(slackBody(resolved, 'resolved', CTX))).toContain('[RESOLVED] prod-eu');
  });

  it('Alertmanager: labels and annotations; endsAt ahead while firing, at the resolve time when resolved', () => {
    const firing = alertmanagerAlert(incident, 'firing', CTX, 60_000);
    expect(firing.labels).toEqual({
      alertname: 'DTR_QUORUM_AT_RISK',
      severity: 'critical',
      cluster: 'prod-eu',
      incident: 'replica:000000000000',
      replica: '000000000000',
      source: 'dtr-ha-console',
    });
    expect(firing.annotations).toMatchObject({
      summary: incident.title,
      consequence: incident.detail,
      next_step: incident.nextStep,
      console_url: 'https://console.example.com/replicas/remove?replica=000000000000',
    });
    expect(Date.parse(firing.endsAt) - NOW.getTime()).toBe(240_000);
    const done = alertmanagerAlert(
      { ...incident, phase: 'resolved', resolvedAt: '2024-05-01T12:05:00.000Z' },
      'resolved',
      CTX,
      60_000,
    );
    expect(done.endsAt).toBe('2024-05-01T12:05:00.000Z');
    expect(done.labels).toEqual(firing.labels);
  });

  it('Alertmanager on escalation: the alert it was announced as ends now, the worse one fires', () => {
    const lost = {
      ...incident,
      code: 'DTR_QUORUM_LOST' as const,
      firedCode: 'DTR_QUORUM_LOST' as const,
    };
    const body = bodyFor('alertmanager', lost, 'escalated', CTX, 60_000, {
      code: 'DTR_QUORUM_AT_RISK',
      severity: 'critical',
    }) as AlertmanagerAlert[];
    expect(body.map((a) => [a.labels.alertname, a.endsAt])).toEqual([
      ['DTR_QUORUM_AT_RISK', NOW.toISOString()],
      ['DTR_QUORUM_LOST', new Date(NOW.getTime() + 240_000).toISOString()],
    ]);
    // Wavering back to at risk after announcing lost keeps the label it was announced with.
    const wavering = { ...lost, code: 'DTR_QUORUM_AT_RISK' as const };
    expect(alertmanagerAlert(wavering, 'repeat', CTX, 60_000).labels.alertname).toBe(
      'DTR_QUORUM_LOST',
    );
  });
});

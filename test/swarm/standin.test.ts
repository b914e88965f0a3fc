// The stand-in DTR bootstrapper (standin.ts) runs as a container in the Swarm harness and behaves
// like the real CLI where the console depends on it: flags, password, TTY, exit codes, log lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { engineJson } from './engine-client';
import { canRunSwarm, startSwarm, type Swarm } from './harness';
import {
  BUSYBOX,
  decodeStandinArgs,
  DTR_SCRIPT,
  elfInterpreter,
  importStandin,
  standinPassword,
  standinUnavailableReason,
} from './standin';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
const CONNECTION = ['--ucp-url', 'https://ucp.example.test', '--ucp-username', 'admin'];
const REMOVE = [
  'remove',
  ...CONNECTION,
  '--ucp-ca',
  CA,
  '--existing-replica-id',
  '0123456789ab',
  '--replica-ids',
  'aaaaaaaaaaaa,bbbbbbbbbbbb',
];

/** Splits the Engine's multiplexed log bytes (TTY off) into stdout and stderr lines. */
function demux(bytes: Buffer): { stdout: string[]; stderr: string[] } {
  const out = { stdout: '', stderr: '' };
  for (let at = 0; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at + 4);
    const text = bytes.subarray(at + 8, at + 8 + size).toString('utf8');
    if (bytes[at] === 2) out.stderr += text;
    else out.stdout += text;
    at += 8 + size;
  }
  const lines = (s: string) => s.split('\n').filter((l) => l !== '');
  return { stdout: lines(out.stdout), stderr: lines(out.stderr) };
}

const created = z.object({ Id: z.string() });
const waited = z.object({ StatusCode: z.number() });

describe.skipIf(!canRunSwarm() || standinUnavailableReason() !== undefined)(
  'stand-in bootstrapper in the Swarm harness',
  () => {
    let swarm: Swarm;
    let socket: string;
    const password = standinPassword();
    const images: Record<'ok' | 'fail', string> = { ok: '', fail: '' };

    beforeAll(async () => {
      swarm = await startSwarm({ managers: 1, namePrefix: 'sti' });
      socket = swarm.managerSocket(0);
      images.ok = (await importStandin(socket, { password, variant: 'ok', tag: '2.9.3' })).ref;
      images.fail = (await importStandin(socket, { password, variant: 'fail', tag: '2.9.3' })).ref;
    }, 150_000);
    afterAll(async () => {
      await swarm?.stop();
    }, 30_000);

    /** `docker run` of the image's own entrypoint, the password in Env (this tests the tool only). */
    async function run(image: string, cmd: string[], env: string[] = []) {
      const started = Date.now();
      const { Id } = created.parse(
        await engineJson(socket, '/containers/create', {
          method: 'POST',
          body: { Image: image, Cmd: cmd, Env: env, Tty: false },
          timeoutMs: 20_000,
        }),
      );
      await engineJson(socket, `/containers/${Id}/start`, { method: 'POST', timeoutMs: 20_000 });
      const { StatusCode } = waited.parse(
        await engineJson(socket, `/containers/${Id}/wait`, { method: 'POST', timeoutMs: 20_000 }),
      );
      const ms = Date.now() - started;
      const res = await fetchLogs(Id);
      await engineJson(socket, `/containers/${Id}`, { method: 'DELETE' });
      return { exit: StatusCode, ms, ...res };
    }

    async function fetchLogs(id: string) {
      const { Agent, request } = await import('undici');
      const agent = new Agent({ connect: { socketPath: socket } });
      try {
        const res = await request(`http://docker/containers/${id}/logs?stdout=1&stderr=1`, {
          dispatcher: agent,
        });
        return demux(Buffer.from(await res.body.arrayBuffer()));
      } finally {
        await agent.destroy();
      }
    }

    it('is built from a static busybox (an ELF without interpreter)', () => {
      expect(elfInterpreter(BUSYBOX)).toBe(false);
      // The check can tell: node itself is dynamically linked.
      expect(elfInterpreter(process.execPath)).toBe(true);
    });

    it('imports as an image with /dtr as entrypoint and no repo digest', async () => {
      const image = z
        .object({
          Id: z.string(),
          RepoTags: z.array(z.string()),
          RepoDigests: z.array(z.string()),
          Config: z.object({ Entrypoint: z.array(z.string()), Env: z.array(z.string()) }),
        })
        .parse(await engineJson(socket, `/images/${images.ok}/json`));
      expect(image.RepoTags).toEqual(['dhc/dtr-ok:2.9.3']);
      expect(image.RepoDigests).toEqual([]);
      expect(image.Config.Entrypoint).toEqual(['/dtr']);
      expect(image.Config.Env).toContain('PATH=/bin');
      // Only the password's hash is in the image.
      expect(DTR_SCRIPT).not.toContain(password);
    });

    it('runs remove with the right password: every argument received, INFO lines, exit 0', async () => {
      const result = await run(images.ok, REMOVE, [`UCP_PASSWORD=${password}`]);
      console.log(`stand-in remove (ok): create→exit ${result.ms} ms`);
      expect(result.exit).toBe(0);
      expect(decodeStandinArgs(result.stdout)).toEqual(REMOVE);
      const info = result.stdout.filter((l) => !l.startsWith('STANDIN-ARG '));
      expect(info[0]).toMatch(/^INFO\[\d{4}\] Validating UCP cert$/);
      expect(info.at(-1)).toMatch(/^INFO\[\d{4}\] remove complete$/);
      expect(result.stderr).toEqual([]);
    });

    it('fails like the real tool: wrong password, no TTY to prompt, password flag, bad flags', async () => {
      const cases: { cmd: string[]; env: string[]; fata: RegExp }[] = [
        { cmd: REMOVE, env: ['UCP_PASSWORD=wrong'], fata: /Couldn't login/ },
        {
          cmd: REMOVE,
          env: [],
          fata: /cannot prompt for a password because the container was not started in tty mode/,
        },
        {
          cmd: [...REMOVE, '--ucp-password', password],
          env: [`UCP_PASSWORD=${password}`],
          fata: /refuses a password on the command line/,
        },
        {
          cmd: [...REMOVE, '--bogus'],
          env: [`UCP_PASSWORD=${password}`],
          fata: /flag provided but not defined: --bogus/,
        },
        {
          cmd: [
            'emergency-repair',
            ...CONNECTION,
            '--ucp-insecure-tls',
            '--existing-replica-id',
            '0123456789ab',
          ],
          env: [`UCP_PASSWORD=${password}`],
          fata: /cannot prompt for confirmation/,
        },
        {
          cmd: ['join', ...CONNECTION, '--ucp-ca', CA, '--ucp-node', 'dhc-worker-1'],
          env: [`UCP_PASSWORD=${password}`],
          fata: /existing-replica-id/,
        },
      ];
      const results = await Promise.all(cases.map((c) => run(images.ok, c.cmd, c.env)));
      results.forEach((result, i) => {
        expect(result.exit).toBe(1);
        expect(result.stderr).toHaveLength(1);
        expect(result.stderr[0]).toMatch(/^FATA\[\d{4}\] /);
        expect(result.stderr[0]).toMatch(cases[i]!.fata);
        expect(result.stdout.some((l) => l.startsWith('INFO'))).toBe(false);
      });
    });

    it('the fail variant validates, logs progress, then ends with FATA and exit 1', async () => {
      const result = await run(images.fail, REMOVE, [`UCP_PASSWORD=${password}`]);
      expect(result.exit).toBe(1);
      expect(result.stdout.filter((l) => l.startsWith('INFO'))).toHaveLength(4);
      expect(result.stderr).toEqual([expect.stringMatching(/^FATA\[\d{4}\] remove failed/)]);
    });
  },
);

// lib/sources/engine-exec.ts against a real dockerd of the Swarm harness: the stand-in bootstrapper
// runs behind the §2 wrapper (password on stdin, never in Env or Cmd), through a hijacked attach,
// over the daemon's unix socket and through a TLS front demanding a client certificate.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSpec } from '@/lib/domain/execution/types';
import { SourceError } from '@/lib/sources/errors';
import {
  createEngineExec,
  ENGINE_EXEC_ENDPOINTS,
  type EngineExec,
  type ImageFacts,
} from '@/lib/sources/engine-exec';
import { startEngineProxy, type EngineProxy } from './engine-proxy';
import { canRunSwarm, startSwarm, type Swarm } from './harness';
import {
  decodeStandinArgs,
  importStandin,
  standinPassword,
  standinUnavailableReason,
  type StandinVariant,
} from './standin';

const TIMEOUT_MS = 10_000;
/** §2: reads the password from stdin into the process environment, then runs the tool. */
const WRAPPER = [
  '/bin/sh',
  '-c',
  'IFS= read -r UCP_PASSWORD || exit 97; export UCP_PASSWORD; exec "$@" </dev/null',
  'dtr-console',
];
const CA = `-----BEGIN CERTIFICATE-----\n${'MIIBszCCAVmgAwIBAgIUQ2'.repeat(8)}\n-----END CERTIFICATE-----\n`;
const REMOVE_FLAGS = [
  'remove',
  '--ucp-url',
  'https://ucp.example.test',
  '--ucp-username',
  'admin',
  '--ucp-ca',
  CA,
  '--existing-replica-id',
  '0123456789ab',
  '--replica-ids',
  'aaaaaaaaaaaa',
];

/** The Engine's multiplexed stream (TTY off): 8-byte headers, type 1 stdout / 2 stderr. */
function demux(bytes: Buffer): { stdout: string[]; stderr: string[] } {
  const text = { stdout: '', stderr: '' };
  let at = 0;
  for (; at + 8 <= bytes.length;) {
    const size = bytes.readUInt32BE(at + 4);
    if (at + 8 + size > bytes.length) break;
    const payload = bytes.subarray(at + 8, at + 8 + size).toString('utf8');
    if (bytes[at] === 2) text.stderr += payload;
    else if (bytes[at] === 1) text.stdout += payload;
    else throw new Error(`unexpected stream type ${bytes[at]} at byte ${at}`);
    at += 8 + size;
  }
  if (at !== bytes.length) throw new Error(`${bytes.length - at} trailing bytes after the frames`);
  const lines = (s: string) => s.split('\n').filter((l) => l !== '');
  return { stdout: lines(text.stdout), stderr: lines(text.stderr) };
}

interface Run {
  id: string;
  exit: number;
  output: Buffer;
  lines: { stdout: string[]; stderr: string[] };
  /** From createContainer to wait returning. */
  ms: number;
}

let labelSeq = 0;
function specFor(image: string, facts: ImageFacts, flags: string[]): ContainerSpec {
  labelSeq += 1;
  return {
    image,
    entrypoint: WRAPPER,
    cmd: [...facts.entrypoint, ...flags],
    env: [],
    labels: {
      'com.dtr-ha-console.execution': `exec-${process.pid}-${labelSeq}`,
      'com.dtr-ha-console.run': `run-${labelSeq}`,
      'com.dtr-ha-console.cluster': 'test',
    },
  };
}

/** The service's sequence: create, attach, start, hand over the password, read to the end, wait. */
async function runToExit(
  exec: EngineExec,
  spec: ContainerSpec,
  stdin: string | null,
  whileRunning?: (id: string) => Promise<void>,
  { closeStdin = true } = {},
): Promise<Run> {
  const started = performance.now();
  const id = await exec.createContainer(spec);
  const stream = await exec.attach(id);
  const chunks: Buffer[] = [];
  const reading = (async () => {
    for await (const chunk of stream.output) chunks.push(chunk);
  })();
  await exec.startContainer(id);
  if (stdin !== null) await stream.write(stdin);
  // The wrapper reads one line and gives the tool /dev/null: closing stdin is optional.
  if (closeStdin) stream.closeStdin();
  if (whileRunning) await whileRunning(id);
  const exit = await exec.waitContainer(id);
  const ms = Math.round(performance.now() - started);
  await reading;
  const output = Buffer.concat(chunks);
  return { id, exit, output, lines: demux(output), ms };
}

const timings: string[] = [];

describe.skipIf(!canRunSwarm() || standinUnavailableReason() !== undefined)(
  'Engine API execution adapter on a real dockerd',
  () => {
    let swarm: Swarm;
    let socketPath: string;
    let exec: EngineExec;
    let dir: string;
    const password = standinPassword();
    const images = {} as Record<StandinVariant, { ref: string; imageId: string }>;
    let okFacts: ImageFacts;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'dhc-exec-'));
      swarm = await startSwarm({ managers: 2, namePrefix: 'exe' });
      // The second manager: the console runs the tool on the engine it is pointed at.
      socketPath = swarm.managerSocket(1);
      for (const variant of ['ok', 'fail', 'slow'] as const) {
        images[variant] = await importStandin(socketPath, {
          password,
          variant,
          tag: '2.9.3',
          ...(variant === 'slow' ? { delaySeconds: 2 } : {}),
        });
      }
      exec = createEngineExec({
        engine: { kind: 'unix', host: `unix://${socketPath}`, socketPath },
        timeoutMs: TIMEOUT_MS,
      });
      const facts = await exec.inspectImage(images.ok.ref);
      if (!facts) throw new Error('the imported stand-in is missing');
      okFacts = facts;
    }, 180_000);
    afterAll(async () => {
      await swarm?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (timings.length > 0) console.log(`create→exit timings:\n  ${timings.join('\n  ')}`);
    }, 30_000);

    it('names the engine it runs on', async () => {
      const info = await exec.info();
      expect(info.name).toBe('exe-manager-2');
      expect(info.id).not.toBe('');
      expect(info.serverVersion).toBe(swarm.engineVersion);
    });

    it('inspects the imported image: its ID, no repo digest, /dtr as the entrypoint', () => {
      expect(okFacts).toEqual({
        id: images.ok.imageId,
        repoDigests: [],
        entrypoint: ['/dtr'],
        cmd: [],
      });
    });

    it('runs remove behind the wrapper: password on stdin, every argument received, exit 0, then removes it', async () => {
      const spec = specFor(images.ok.ref, okFacts, REMOVE_FLAGS);
      const run = await runToExit(exec, spec, `${password}\n`);
      timings.push(`ok remove, unix socket: ${run.ms} ms`);
      expect(run.exit).toBe(0);
      expect(decodeStandinArgs(run.lines.stdout)).toEqual(REMOVE_FLAGS);
      const info = run.lines.stdout.filter((l) => !l.startsWith('STANDIN-ARG '));
      expect(info).toHaveLength(5);
      expect(info.every((l) => /^INFO\[\d{4}\] /.test(l))).toBe(true);
      expect(info.at(-1)).toMatch(/remove complete$/);
      expect(run.lines.stderr).toEqual([]);
      expect(run.output.includes(password)).toBe(false);

      // What recovery sees afterwards: the exit code, the image it ran, the labels, the same log.
      const facts = await exec.inspectContainer(run.id);
      expect(facts).toMatchObject({
        id: run.id,
        image: images.ok.imageId,
        running: false,
        status: 'exited',
        exitCode: 0,
        labels: spec.labels,
        entrypoint: WRAPPER,
        cmd: spec.cmd,
      });
      expect(facts?.finishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      // Polled briefly, as below: the logger may still be writing when the exit is reported.
      await expect
        .poll(async () => demux(await exec.logs(run.id)), { timeout: 5_000 })
        .toEqual(run.lines);
      const label = `com.dtr-ha-console.execution=${spec.labels['com.dtr-ha-console.execution']}`;
      const listed = await exec.listByLabel(label);
      expect(listed.map((c) => [c.id, c.exitCode, c.labels])).toEqual([[run.id, 0, spec.labels]]);

      await exec.removeContainer(run.id);
      expect(await exec.inspectContainer(run.id)).toBeNull();
      expect(await exec.listByLabel(label)).toEqual([]);
      await exec.removeContainer(run.id); // already gone: fine
    });

    it('while it runs, inspect and logs show neither the password in Env nor in Cmd/Entrypoint', async () => {
      const slowFacts = await exec.inspectImage(images.slow.ref);
      const spec = specFor(images.slow.ref, slowFacts!, REMOVE_FLAGS);
      let seenRunning = false;
      const run = await runToExit(
        exec,
        spec,
        `${password}\n`,
        async (id) => {
          const facts = await exec.inspectContainer(id);
          expect(facts?.running).toBe(true);
          expect(facts?.exitCode).toBeNull();
          expect(facts?.finishedAt).toBeNull();
          seenRunning = facts?.running === true;
          expect(facts?.env.some((e) => e.includes(password))).toBe(false);
          expect([...(facts?.entrypoint ?? []), ...(facts?.cmd ?? [])].join('\n')).not.toContain(
            password,
          );
          expect(JSON.stringify(facts)).not.toContain(password);
          expect((await exec.logs(id)).includes(password)).toBe(false);
          // Removing a running container without force is refused, in the daemon's words.
          const refused = await exec.removeContainer(id).catch((err: unknown) => err);
          expect(refused).toBeInstanceOf(SourceError);
          expect((refused as SourceError).message).toMatch(
            new RegExp(
              `^The Docker engine at unix://.+ answered DELETE /containers/${id} with HTTP 409: .*running`,
            ),
          );
        },
        { closeStdin: false },
      );
      timings.push(`slow remove (4 steps × 2 s), stdin left open, unix socket: ${run.ms} ms`);
      expect(seenRunning).toBe(true);
      expect(run.exit).toBe(0);
      expect(run.lines.stdout.filter((l) => l.startsWith('INFO'))).toHaveLength(5);
      expect(run.lines.stdout.at(-1)).toMatch(/^INFO\[000[6-9]\] remove complete$/);
      await exec.removeContainer(run.id);
    }, 60_000);

    it('a wrong password, the fail variant and a password never handed over end with their exit codes', async () => {
      const [wrong, failed, none] = await Promise.all([
        runToExit(exec, specFor(images.ok.ref, okFacts, REMOVE_FLAGS), 'not-the-password\n'),
        runToExit(exec, specFor(images.fail.ref, okFacts, REMOVE_FLAGS), `${password}\n`),
        runToExit(exec, specFor(images.ok.ref, okFacts, REMOVE_FLAGS), null),
      ]);
      timings.push(
        `wrong password: ${wrong.ms} ms, fail variant: ${failed.ms} ms, no stdin: ${none.ms} ms`,
      );
      expect(wrong.exit).toBe(1);
      expect(wrong.lines.stderr).toEqual([
        expect.stringMatching(/^FATA\[\d{4}\] Couldn't login to UCP/),
      ]);
      expect(failed.exit).toBe(1);
      expect(failed.lines.stderr).toEqual([expect.stringMatching(/^FATA\[\d{4}\] remove failed/)]);
      // 97: the wrapper got no password line, so the tool never ran.
      expect(none.exit).toBe(97);
      expect(none.output.length).toBe(0);
      for (const run of [wrong, failed, none]) await exec.removeContainer(run.id);
    }, 60_000);

    it('a missing image: inspect says null, a pull fails with a sentence (no network), create is refused', async () => {
      const missing = 'dhc/dtr-missing:0.0.1';
      expect(await exec.inspectImage(missing)).toBeNull();
      const pulled = await exec.pullImage(missing).catch((err: unknown) => err);
      expect(pulled).toBeInstanceOf(SourceError);
      expect((pulled as SourceError).message).toMatch(
        /^Could not pull dhc\/dtr-missing:0\.0\.1: the Docker engine at unix:\/\/\S+ (answered POST \/images\/create \(pull dhc\/dtr-missing:0\.0\.1\) with HTTP \d+|reported): ./,
      );
      console.log(`pull without network: ${(pulled as Error).message}`);
      const created = await exec
        .createContainer(specFor(missing, okFacts, REMOVE_FLAGS))
        .catch((err: unknown) => err);
      expect(created).toBeInstanceOf(SourceError);
      expect((created as SourceError).message).toMatch(
        /^The Docker engine at unix:\/\/\S+ answered POST \/containers\/create with HTTP 404: No such image: dhc\/dtr-missing:0\.0\.1/,
      );
      const attached = await exec.attach('no-such-container').catch((err: unknown) => err);
      expect((attached as Error).message).toMatch(
        /without attaching: no container no-such-container/,
      );
    }, 60_000);

    it('calls only the allowed endpoints (recorded by a front on the socket), over TLS with a client certificate too', async () => {
      const tls = makeCerts(dir);
      const fronts: EngineProxy[] = [];
      try {
        const unixFront = await startEngineProxy(socketPath, {
          socketPath: path.join(dir, 'front.sock'),
        });
        fronts.push(unixFront);
        const tlsFront = await startEngineProxy(socketPath, {
          tls: { key: tls.serverKey, cert: tls.serverCert, clientCa: tls.ca },
        });
        fronts.push(tlsFront);
        const viaUnix = createEngineExec({
          engine: {
            kind: 'unix',
            host: `unix://${unixFront.socketPath}`,
            socketPath: unixFront.socketPath!,
          },
          timeoutMs: TIMEOUT_MS,
        });
        const url = `https://127.0.0.1:${tlsFront.port}`;
        const viaTls = createEngineExec({
          engine: {
            kind: 'tcp',
            host: `tcp://127.0.0.1:${tlsFront.port}`,
            url,
            ca: tls.ca,
            cert: tls.clientCert,
            key: tls.clientKey,
          },
          timeoutMs: TIMEOUT_MS,
        });
        for (const [name, client] of [
          ['unix front', viaUnix],
          ['TLS front', viaTls],
        ] as const) {
          await client.info();
          const facts = await client.inspectImage(images.ok.ref);
          expect(await client.inspectImage('dhc/dtr-missing:0.0.1')).toBeNull();
          await client.pullImage('dhc/dtr-missing:0.0.1').catch(() => undefined);
          const spec = specFor(images.ok.ref, facts!, REMOVE_FLAGS);
          const run = await runToExit(client, spec, `${password}\n`);
          timings.push(`ok remove, ${name}: ${run.ms} ms`);
          // The hijacked attach carried the password in and the whole output back.
          expect(run.exit).toBe(0);
          expect(decodeStandinArgs(run.lines.stdout)).toEqual(REMOVE_FLAGS);
          expect(run.lines.stdout.at(-1)).toMatch(/^INFO\[\d{4}\] remove complete$/);
          expect((await client.inspectContainer(run.id))?.exitCode).toBe(0);
          // The engine's log holds what the attach carried, byte for byte (read as latin1 so a
          // difference shows as text). Polled briefly: on a loaded machine the json-file logger
          // can still be writing the last frames when the exit is reported.
          await expect
            .poll(async () => (await client.logs(run.id)).toString('latin1'), { timeout: 5_000 })
            .toBe(run.output.toString('latin1'));
          const label = `com.dtr-ha-console.execution=${spec.labels['com.dtr-ha-console.execution']}`;
          expect((await client.listByLabel(label)).map((c) => c.id)).toEqual([run.id]);
          await client.removeContainer(run.id, { force: true });
        }

        // Over TLS, a client without the bundle's certificate gets nowhere.
        const stranger = createEngineExec({
          engine: {
            kind: 'tcp',
            host: `tcp://127.0.0.1:${tlsFront.port}`,
            url,
            ca: tls.ca,
            cert: tls.strangerCert,
            key: tls.strangerKey,
          },
          timeoutMs: TIMEOUT_MS,
        });
        await expect(stranger.info()).rejects.toBeInstanceOf(SourceError);

        const allowed = ENGINE_EXEC_ENDPOINTS.map((endpoint) => {
          const [method, template] = endpoint.split(' ') as [string, string];
          const pattern = template
            .replace('{ref}', '[A-Za-z0-9._/:@-]+')
            .replace('{id}', '[A-Za-z0-9_.-]+');
          return { endpoint, re: new RegExp(`^${method} ${pattern}(\\?.*)?$`) };
        });
        for (const front of fronts) {
          const outside = front.seen.filter((s) => !allowed.some((a) => a.re.test(s)));
          expect(outside).toEqual([]);
          // Every allowed endpoint was exercised, so the list is no wider than needed.
          const used = allowed.filter((a) => front.seen.some((s) => a.re.test(s)));
          expect(used.map((a) => a.endpoint)).toEqual([...ENGINE_EXEC_ENDPOINTS]);
        }
        // The requests as the daemon got them: attach upgraded, wait for not-running, list by label.
        const seen = tlsFront.seen.join('\n');
        expect(seen).toMatch(
          /^POST \/containers\/\w+\/attach\?stream=1&stdin=1&stdout=1&stderr=1$/m,
        );
        expect(seen).toMatch(/^POST \/containers\/\w+\/wait\?condition=not-running$/m);
        expect(seen).toMatch(/^GET \/containers\/json\?all=1&filters=%7B%22label%22%3A%5B/m);
        expect(seen).toMatch(/^POST \/images\/create\?fromImage=dhc%2Fdtr-missing&tag=0\.0\.1$/m);
      } finally {
        for (const front of fronts) await front.close();
      }
    }, 90_000);
  },
);

/** A CA, a server certificate for 127.0.0.1, a client certificate it signed and one it did not. */
function makeCerts(dir: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = (name: string) =>
    run(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
    );
  const issue = (name: string, by: string, ext: string) => {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(path.join(dir, `${name}.cnf`), `${ext}\n`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${by}.pem`,
      '-CAkey',
      `${by}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.cnf`,
    );
  };
  ca('ca');
  ca('other-ca');
  issue('server', 'ca', 'subjectAltName=IP:127.0.0.1');
  issue('client', 'ca', 'extendedKeyUsage=clientAuth');
  issue('stranger', 'other-ca', 'extendedKeyUsage=clientAuth');
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  return {
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
    strangerCert: read('stranger.pem'),
    strangerKey: read('stranger.key'),
  };
}

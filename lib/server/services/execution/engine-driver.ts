// The Engine API driver: runs the bootstrapper as a container through an admin's UCP client bundle
// (or one engine), with the password handed over on standard input to a wrapper that keeps it in
// the process environment only (docs/design-gated-execution.md §2), the output streamed through
// the attach stream, the exit code from wait, and the container removed once both have ended.
import 'server-only';
import type { EngineTarget } from '@/lib/config';
import {
  createDemuxer,
  EXECUTION_LABELS,
  executionSpec,
  redactCredentials,
} from '@/lib/domain/execution';
import type { ExecutionRecord } from '@/lib/domain/execution/types';
import { createEngineExec, type EngineExec } from '@/lib/sources/engine-exec';
import { ExecutionRefusal, type ExecutionDriver, type Leftover, type StepSink } from './driver';

export interface EngineDriverOptions {
  engine: EngineTarget;
  viaBundle: boolean;
  /** The UCP CA PEM the bootstrapper is to trust (the console's own, verified), or null. */
  caPem: () => Promise<string | null>;
  timeoutMs: number;
  /** For tests: an EngineExec other than the real one. */
  exec?: EngineExec;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function engineDriver(options: EngineDriverOptions): ExecutionDriver {
  const exec =
    options.exec ?? createEngineExec({ engine: options.engine, timeoutMs: options.timeoutMs });
  const where = `the Docker API at ${options.engine.host}${options.viaBundle ? ' (a UCP client bundle)' : ''}`;
  return {
    kind: 'engine',
    where,
    viaBundle: options.viaBundle,
    async engineNode() {
      if (options.viaBundle) return null;
      try {
        return (await exec.info()).name;
      } catch (error) {
        throw new ExecutionRefusal(
          `The console cannot reach ${where} to run the step: ${describe(error)}`,
          503,
        );
      }
    },
    async prepare(input) {
      const imageRef = input.command.argv.find(
        (word, i, argv) => i > 0 && /^(join|remove|emergency-repair)$/.test(argv[i + 1] ?? ''),
      );
      if (!imageRef)
        throw new ExecutionRefusal('The planned command names no bootstrapper image to run.');
      let image;
      try {
        image = await exec.inspectImage(imageRef);
        if (!image) {
          await exec.pullImage(imageRef);
          image = await exec.inspectImage(imageRef);
        }
      } catch (error) {
        throw new ExecutionRefusal(
          `The bootstrapper image ${imageRef} is not on ${where} and could not be pulled: ${describe(error)}`,
          502,
        );
      }
      if (!image)
        throw new ExecutionRefusal(`The bootstrapper image ${imageRef} is not on ${where}.`, 502);
      const built = executionSpec({
        command: input.command,
        kind: input.state.kind,
        caPem: await options.caPem(),
        toolEntrypoint: image.entrypoint,
        node: input.node,
        viaBundle: options.viaBundle,
        ids: input.ids,
      });
      if (!built.ok) throw new ExecutionRefusal(built.reason);
      return {
        node: input.node,
        imageRef,
        imageId: image.id,
        repoDigest: image.repoDigests[0] ?? null,
        spec: built.spec,
        argvPublic: built.argvPublic,
      };
    },
    async run(prepared, input, password, sink: StepSink) {
      if (!prepared.spec) throw new Error('an engine step needs a container spec');
      const id = await exec.createContainer(prepared.spec, `dtr-console-${input.ids.execution}`);
      await sink.created(id);
      const demuxer = createDemuxer({ secrets: [password] });
      let attached;
      try {
        attached = await exec.attach(id);
        await exec.startContainer(id);
        // The wrapper reads one line and hands the tool /dev/null: stdin stays open, because a
        // half-close is lost through TLS fronts that do not keep half-open connections.
        await attached.write(`${password}\n`);
      } catch (error) {
        attached?.destroy();
        await exec.removeContainer(id, { force: true }).catch(() => undefined);
        throw error;
      }
      await sink.started();
      // The stream may be cut (a proxy, the network): the lines stop, the wait below decides.
      const reading = (async () => {
        for await (const chunk of attached.output) sink.lines(demuxer.push(chunk));
      })()
        .catch(() => undefined)
        .finally(() => sink.lines(demuxer.end()));
      try {
        const exitCode = await exec.waitContainer(id);
        // The output ends when the container's streams close; give it a moment past the exit.
        await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 5000))]);
        await exec.removeContainer(id).catch(() => undefined);
        return { exitCode };
      } finally {
        // A lost wait leaves the container to recovery (it may still run): never removed here.
        attached.destroy();
      }
    },
    async startContainers(_replicaId, node, names) {
      if (!options.viaBundle) {
        const own = await this.engineNode();
        if (own?.toLowerCase() !== node.toLowerCase())
          throw new ExecutionRefusal(
            `The replica’s containers are on ${node}, and ${where} is the engine of ${own ?? 'another node'}; point EXECUTE_DOCKER_HOST at a UCP client bundle, or start them on ${node} yourself.`,
          );
      }
      const started: string[] = [];
      for (const name of names) {
        const facts = await exec.inspectContainer(name);
        if (!facts)
          throw new ExecutionRefusal(
            `${where} has no container ${name}${started.length > 0 ? ` (started so far: ${started.join(', ')})` : ''}.`,
          );
        if (facts.running) continue;
        await exec.startContainer(name);
        started.push(name);
      }
      return started;
    },
    async leftover(record: ExecutionRecord): Promise<Leftover> {
      try {
        const found = await exec.listByLabel(`${EXECUTION_LABELS.execution}=${record.id}`);
        const container = found[0];
        if (!container) return { kind: 'absent' };
        if (container.running) return { kind: 'running', node: record.node };
        // The password was this console's before it restarted, and is gone: what the output
        // names as a credential is redacted by where it stands instead.
        const demuxer = createDemuxer({ secrets: [] });
        const lines = [...demuxer.push(await exec.logs(container.id)), ...demuxer.end()].map(
          (line) => ({ ...line, text: redactCredentials(line.text) }),
        );
        await exec.removeContainer(container.id).catch(() => undefined);
        return { kind: 'exited', exitCode: container.exitCode, lines };
      } catch (error) {
        return { kind: 'unreachable', reason: describe(error) };
      }
    },
  };
}

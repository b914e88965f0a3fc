// The demo cluster's execution driver: prints what the real bootstrapper prints, and changes the
// demo cluster the way the tool would (validating it first, as the real tool does), so the wizard's
// execute panel, log, audit and verification can be tried without a cluster to break.
import 'server-only';
import { DemoInputError, type DemoCluster, type DemoOperation } from '@/lib/demo';
import { levelOf } from '@/lib/domain/execution';
import { runSubject } from '@/lib/domain/wizards';
import { startDemoOperation } from '../wizards/apply';
import type { ExecutionDriver, PrepareInput, PreparedStep, StepResult, StepSink } from './driver';

const TOOL_WORDS: Record<PrepareInput['state']['kind'], string> = {
  join: 'join',
  remove: 'remove',
  repair: 'emergency-repair',
};

/** `INFO[0003] text`: the bootstrapper's logrus lines, seconds since it started. */
function logLine(level: 'INFO' | 'FATA', startedAt: number, text: string) {
  const seconds = String(Math.floor((Date.now() - startedAt) / 1000)).padStart(4, '0');
  const line = `${level}[${seconds}] ${text}`;
  return {
    stream: level === 'FATA' ? ('stderr' as const) : ('stdout' as const),
    text: line,
    level: levelOf(line),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function demoDriver(
  demo: DemoCluster,
  options: { lineDelayMs?: number } = {},
): ExecutionDriver {
  const lineDelayMs = options.lineDelayMs ?? 400;
  return {
    kind: 'demo',
    where: 'the built-in demo cluster (nothing real is changed)',
    // The demo plays UCP: it places the step itself, as UCP does for a client bundle.
    viaBundle: true,
    engineNode: async () => null,
    async prepare(input: PrepareInput): Promise<PreparedStep> {
      // The printed command's words after the image, as the tool would receive them.
      const argv = input.command.argv;
      const at = argv.findIndex((word) => /^(join|remove|emergency-repair)$/.test(word));
      const imageRef = argv[at - 1] ?? 'docker/dtr';
      return {
        node: input.node,
        imageRef,
        imageId: null,
        repoDigest: null,
        spec: null,
        argvPublic: [
          ...argv.slice(at).map((word) => (word.startsWith('$(cat ') ? '<UCP CA PEM>' : word)),
          ...(input.state.kind === 'repair' ? ['--yes'] : []),
        ],
      };
    },
    async run(_prepared, input, _password, sink: StepSink): Promise<StepResult> {
      const started = Date.now();
      const { state } = input;
      await sink.created(`demo-${input.ids.execution}`);
      let operation: DemoOperation;
      try {
        operation = startDemoOperation(demo, state);
      } catch (error) {
        if (!(error instanceof DemoInputError)) throw error;
        await sink.started();
        sink.lines([logLine('FATA', started, error.message)]);
        return { exitCode: 1 };
      }
      await sink.started();
      const words = [
        `Beginning Docker Trusted Registry replica ${TOOL_WORDS[state.kind]}`,
        'Validating UCP cert',
        'Connecting to UCP',
        'Searching containers in UCP for DTR replicas',
        `${TOOL_WORDS[state.kind]}: ${runSubject(state)}`,
      ];
      for (const text of words) {
        sink.lines([logLine('INFO', started, text)]);
        await pause(lineDelayMs);
      }
      try {
        await operation.done;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        sink.lines([logLine('FATA', started, message)]);
        return { exitCode: 1 };
      }
      sink.lines([logLine('INFO', started, `${TOOL_WORDS[state.kind]} complete`)]);
      return {
        exitCode: 0,
        ...(state.kind === 'join' && operation.replicaIds[0]
          ? { learnedReplicaId: operation.replicaIds[0] }
          : {}),
      };
    },
    // The demo runs inside this process: a restart ends it with the process.
    leftover: async () => ({ kind: 'absent' }),
    // A stopped demo replica comes back when its fault is cleared, as its containers would start.
    async startContainers(replicaId, _node, names) {
      await demo.setFault(replicaId, 'none');
      return names;
    },
  };
}

// Alerting's configuration: timing (ALERT_* variables), the console's public URL for links
// (CONSOLE_URL), and channels for automation (ALERT_CHANNELS_FILE, JSON or YAML). Read here,
// like every other variable (lib/config is the only reader of process.env); every problem is one
// sentence naming the variable, or the file, the channel and the field.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHANNEL_KINDS, urlProblem, type ChannelKind } from '@/lib/domain/alerts/channels';
import type { IncidentPolicy } from '@/lib/domain/alerts/incidents';
import type { Severity } from '@/lib/domain/types';
import { ConfigError } from './model';

/** A channel from ALERT_CHANNELS_FILE, with its secret resolved (never logged). */
export interface FileChannel {
  name: string;
  kind: ChannelKind;
  url: string;
  secret: string | null;
  minSeverity: Severity;
  enabled: boolean;
}

export interface AlertingConfig {
  policy: IncidentPolicy;
  /** The console's public base URL for links in messages, no trailing slash. */
  consoleUrl: string;
  /** The `cluster` label and the name in message titles. */
  clusterName: string;
  /** Alertmanager: re-post firing alerts this often (a fraction of its resolve_timeout). */
  alertmanagerRepostMs: number;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** How often the engine looks at the latest snapshot. */
  tickMs: number;
  /** Resolved incidents and their delivery log are kept this long. */
  keepResolvedMs: number;
  channelsFile: string | null;
  /** The file's channels (empty without a file). */
  fileChannels: FileChannel[];
}

const VARS = [
  'ALERT_FOR_CRITICAL_MS',
  'ALERT_FOR_WARNING_MS',
  'ALERT_REPEAT_MS',
  'ALERT_RESOLVE_AFTER_MS',
  'ALERT_MIN_SEVERITY',
  'ALERTMANAGER_REPOST_MS',
  'ALERT_TIMEOUT_MS',
  'ALERT_RETRIES',
  'ALERT_BACKOFF_MS',
  'ALERT_KEEP_RESOLVED_MS',
  'ALERT_CHANNELS_FILE',
  'ALERT_CLUSTER_NAME',
  'CONSOLE_URL',
] as const;

type Vars = Partial<Record<(typeof VARS)[number], string>>;

function ms(
  env: Vars,
  name: keyof Vars,
  def: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined) return def;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    problems.push(
      `${name}: expected a whole number of milliseconds from ${min} to ${max}, got "${raw}" (e.g. ${name}=${def})`,
    );
    return def;
  }
  return value;
}

const severity = z.enum(['critical', 'warning', 'info']);

const fileChannelSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
        'must be 1-64 letters, digits, spaces, dots, dashes or underscores',
      ),
    kind: z.enum(CHANNEL_KINDS, { message: `must be one of ${CHANNEL_KINDS.join(', ')}` }),
    url: z
      .string()
      .trim()
      .superRefine((raw, ctx) => {
        const problem = urlProblem(raw);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    secret: z.string().min(16, 'must be at least 16 characters').optional(),
    secretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must name an environment variable, e.g. ALERT_WEBHOOK_SECRET')
      .optional(),
    minSeverity: severity.default('warning'),
    enabled: z.boolean().default(true),
  })
  .strict();

const fileSchema = z.union([
  z.object({ channels: z.array(z.unknown()) }).strict(),
  z.array(z.unknown()),
]);

/** Parses the channels file's text (`path` for messages; YAML unless it ends in .json). */
export function parseChannelsFile(
  text: string,
  path: string,
  env: Record<string, string | undefined> = {},
): FileChannel[] {
  const where = `ALERT_CHANNELS_FILE (${path})`;
  let raw: unknown;
  try {
    raw = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ConfigError([
      `${where}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${reason}`,
    ]);
  }
  const top = fileSchema.safeParse(raw ?? []);
  if (!top.success)
    throw new ConfigError([
      `${where}: expected a list of channels, or an object with a "channels" list`,
    ]);
  const items = Array.isArray(top.data) ? top.data : top.data.channels;
  const problems: string[] = [];
  const channels: FileChannel[] = [];
  const names = new Set<string>();
  items.forEach((item, index) => {
    const label =
      item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
        ? `channel "${(item as { name: string }).name}"`
        : `channel #${index + 1}`;
    const parsed = fileChannelSchema.safeParse(item);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join('.') || 'entry';
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown field(s) ${issue.keys.join(', ')} (fields: name, kind, url, secret, secretEnv, minSeverity, enabled)`
            : issue.code === 'invalid_type' && issue.input === undefined
              ? 'is required'
              : issue.message;
        problems.push(`${where}: ${label}, field ${field}: ${message}`);
      }
      return;
    }
    const c = parsed.data;
    if (names.has(c.name.toLowerCase()))
      problems.push(
        `${where}: ${label}: the name is used by another channel; names must be unique`,
      );
    names.add(c.name.toLowerCase());
    let secret = c.secret ?? null;
    if (c.secretEnv !== undefined) {
      if (c.secret !== undefined)
        problems.push(`${where}: ${label}, field secretEnv: give secret or secretEnv, not both`);
      const value = env[c.secretEnv];
      if (!value)
        problems.push(
          `${where}: ${label}, field secretEnv: the variable ${c.secretEnv} is not set`,
        );
      else if (value.length < 16)
        problems.push(
          `${where}: ${label}, field secretEnv: ${c.secretEnv} must be at least 16 characters`,
        );
      secret = value ?? null;
    }
    if (c.kind === 'webhook' && secret === null)
      problems.push(
        `${where}: ${label}, field secret: a generic webhook needs a signing secret (secret or secretEnv), so receivers can check the signature`,
      );
    channels.push({
      name: c.name,
      kind: c.kind,
      url: c.url,
      secret,
      minSeverity: c.minSeverity,
      enabled: c.enabled,
    });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return channels;
}

/** Reads the ALERT_* variables (and the channels file); throws ConfigError listing every problem. */
export function loadAlertingConfig(
  defaults: { port: number; pollIntervalMs: number; clusterName: string },
  env: Record<string, string | undefined> = process.env,
): AlertingConfig {
  const vars: Vars = {};
  for (const name of VARS) {
    const value = env[name]?.trim();
    if (value) vars[name] = value;
  }
  const problems: string[] = [];
  const forCritical = ms(vars, 'ALERT_FOR_CRITICAL_MS', 10_000, 0, 86_400_000, problems);
  const forWarning = ms(vars, 'ALERT_FOR_WARNING_MS', 60_000, 0, 86_400_000, problems);
  const repeatMs = ms(vars, 'ALERT_REPEAT_MS', 4 * 3_600_000, 60_000, 7 * 86_400_000, problems);
  const resolveAfterMs = ms(vars, 'ALERT_RESOLVE_AFTER_MS', 0, 0, 3_600_000, problems);
  const alertmanagerRepostMs = ms(
    vars,
    'ALERTMANAGER_REPOST_MS',
    60_000,
    1_000,
    3_600_000,
    problems,
  );
  const timeoutMs = ms(vars, 'ALERT_TIMEOUT_MS', 5_000, 100, 60_000, problems);
  const backoffMs = ms(vars, 'ALERT_BACKOFF_MS', 1_000, 0, 60_000, problems);
  const keepResolvedMs = ms(
    vars,
    'ALERT_KEEP_RESOLVED_MS',
    30 * 86_400_000,
    3_600_000,
    3_650 * 86_400_000,
    problems,
  );
  let retries = 2;
  if (vars.ALERT_RETRIES !== undefined) {
    if (!/^\d$/.test(vars.ALERT_RETRIES))
      problems.push(
        `ALERT_RETRIES: expected a whole number from 0 to 9, got "${vars.ALERT_RETRIES}" (e.g. ALERT_RETRIES=2)`,
      );
    else retries = Number(vars.ALERT_RETRIES);
  }
  let minSeverity: Severity = 'warning';
  if (vars.ALERT_MIN_SEVERITY !== undefined) {
    const parsed = severity.safeParse(vars.ALERT_MIN_SEVERITY);
    if (parsed.success) minSeverity = parsed.data;
    else
      problems.push(
        `ALERT_MIN_SEVERITY: expected critical, warning or info, got "${vars.ALERT_MIN_SEVERITY}" (e.g. ALERT_MIN_SEVERITY=warning)`,
      );
  }
  let consoleUrl = `http://localhost:${defaults.port}`;
  if (vars.CONSOLE_URL !== undefined) {
    const problem = urlProblem(vars.CONSOLE_URL);
    if (problem)
      problems.push(`CONSOLE_URL: ${problem} (e.g. CONSOLE_URL=https://dtr-console.example.com)`);
    else consoleUrl = vars.CONSOLE_URL.replace(/\/+$/, '');
  }
  const clusterName = vars.ALERT_CLUSTER_NAME ?? defaults.clusterName;
  let fileChannels: FileChannel[] = [];
  const channelsFile = vars.ALERT_CHANNELS_FILE ?? null;
  if (channelsFile !== null) {
    let text: string | null = null;
    try {
      text = readFileSync(channelsFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        `ALERT_CHANNELS_FILE: cannot read ${channelsFile}${code ? ` (${code})` : ''}; give the path of a JSON or YAML channels file readable by the console`,
      );
    }
    if (text !== null) {
      try {
        fileChannels = parseChannelsFile(text, channelsFile, env);
      } catch (error) {
        if (error instanceof ConfigError) problems.push(...error.problems);
        else throw error;
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    policy: {
      forMs: { critical: forCritical, warning: forWarning, info: Math.max(forWarning, 300_000) },
      repeatMs,
      resolveAfterMs,
      minSeverity,
    },
    consoleUrl,
    clusterName,
    alertmanagerRepostMs,
    timeoutMs,
    retries,
    backoffMs,
    tickMs: Math.min(defaults.pollIntervalMs, 1_000),
    keepResolvedMs,
    channelsFile,
    fileChannels,
  };
}

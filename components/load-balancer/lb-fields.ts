// What each setting of the generator is called, in the load balancer's own words, and how it is entered.
import type { LbKind } from '@/lib/domain/lb/options';
import type { LbSetting } from './lb-form';

export interface LbFieldSpec {
  key: LbSetting;
  label: string;
  control: 'number' | 'select' | 'checkbox';
  unit?: string;
  choices?: readonly { value: string; label: string }[];
  /** Per kind; a kind without a hint of its own takes `all`. */
  hint: Partial<Record<LbKind | 'all', string>>;
}

export const LB_KIND_LABELS: Record<LbKind, string> = {
  haproxy: 'HAProxy',
  nginx: 'NGINX',
  elb: 'AWS ELB (Classic)',
};

export const LB_FIELD_GROUPS: readonly { title: string; fields: readonly LbFieldSpec[] }[] = [
  {
    // First: the file only runs on the load balancer it is written for.
    title: 'Version',
    fields: [
      {
        key: 'haproxyVersion',
        label: 'HAProxy version',
        control: 'select',
        choices: [
          { value: '1.7', label: '1.7 or later (DTR’s document)' },
          { value: '2.2', label: '2.2 or later' },
        ],
        hint: {
          haproxy:
            'The DTR document runs haproxy:1.7-alpine; a 1.7 file also starts on every 2.x and 3.x. 2.2 adds a Host header on the check and DNS at run time.',
        },
      },
      {
        key: 'nginxStreamModule',
        label: 'NGINX build',
        control: 'select',
        choices: [
          { value: 'builtin', label: 'Stream built in (official image)' },
          { value: 'debian', label: 'load_module (Debian/Ubuntu)' },
        ],
        hint: {
          nginx:
            'TCP passthrough needs the stream module: built into nginx:stable-alpine, a separate package (libnginx-mod-stream) on Debian and Ubuntu.',
        },
      },
    ],
  },
  {
    title: 'Ports',
    fields: [
      {
        key: 'httpsPort',
        label: 'HTTPS port',
        control: 'number',
        hint: { all: "Goes to each replica's HTTPS port; TLS passes through to DTR." },
      },
      {
        key: 'httpPort',
        label: 'HTTP port',
        control: 'number',
        hint: { all: "Goes to each replica's HTTP port." },
      },
    ],
  },
  {
    title: 'Health check',
    fields: [
      {
        key: 'checkScheme',
        label: 'Check GET /_ping over',
        control: 'select',
        choices: [
          { value: 'https', label: 'HTTPS (certificate not verified)' },
          { value: 'http', label: 'HTTP' },
        ],
        hint: { all: 'Which replica port the health check uses.' },
      },
      {
        key: 'checkIntervalMs',
        label: 'Check interval',
        control: 'number',
        unit: 'ms',
        hint: {
          haproxy: 'HAProxy inter: time between checks.',
          elb: 'Interval: whole seconds, 5000 to 300000.',
        },
      },
      {
        key: 'checkTimeoutMs',
        label: 'Check timeout',
        control: 'number',
        unit: 'ms',
        hint: {
          haproxy: 'timeout check; shorter than the interval.',
          elb: 'Timeout: whole seconds, from 2000.',
        },
      },
      {
        key: 'fall',
        label: 'Failures to take a replica out',
        control: 'number',
        hint: {
          haproxy: 'fall: failed checks in a row.',
          elb: 'UnhealthyThreshold: 2 to 10.',
          nginx: 'max_fails: failed connections within fail_timeout.',
        },
      },
      {
        key: 'rise',
        label: 'Successes to bring it back',
        control: 'number',
        hint: { haproxy: 'rise: good checks in a row.', elb: 'HealthyThreshold: 2 to 10.' },
      },
      {
        key: 'failTimeoutMs',
        label: 'Fail timeout',
        control: 'number',
        unit: 'ms',
        hint: {
          nginx: 'fail_timeout: the window for max_fails, and how long a failed replica sits out.',
        },
      },
    ],
  },
  {
    title: 'Timeouts',
    fields: [
      {
        key: 'connectTimeoutMs',
        label: 'Connect timeout',
        control: 'number',
        unit: 'ms',
        hint: { haproxy: 'timeout connect.', nginx: 'proxy_connect_timeout.' },
      },
      {
        key: 'idleTimeoutMs',
        label: 'Idle timeout',
        control: 'number',
        unit: 'ms',
        hint: {
          all: 'Long: a layer push can sit quiet for minutes.',
          elb: 'IdleTimeout; long, because a layer push can sit quiet for minutes.',
        },
      },
    ],
  },
  {
    title: 'Stats',
    fields: [
      {
        key: 'stats',
        label: 'Stats page',
        control: 'checkbox',
        hint: {
          haproxy: 'Read-only; its CSV (LB_STATS_URL) lets this console check the pool for drift.',
          nginx: 'stub_status: connection counts only.',
        },
      },
      {
        key: 'statsPort',
        label: 'Stats port',
        control: 'number',
        hint: { all: 'Keep it behind your firewall.' },
      },
    ],
  },
];

export function hintFor(field: LbFieldSpec, kind: LbKind): string | undefined {
  return field.hint[kind] ?? field.hint.all;
}

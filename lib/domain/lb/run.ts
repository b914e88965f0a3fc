// How to start the generated config, and which load-balancer versions it is written for.
//
// The DTR load-balancer document starts each load balancer as a container of its official image,
// with the config mounted where that image reads it and the ports published:
//   haproxy  → /usr/local/etc/haproxy/haproxy.cfg  (docker-library/haproxy)
//   nginx    → /etc/nginx/nginx.conf               (docker-library/nginx)
// The official nginx image is built from nginx.org's packages, with the stream module compiled
// in, so its config must not `load_module` it. Debian/Ubuntu package the stream module apart
// (libnginx-mod-stream), and there the file loads it; that variant runs on the host, not in the
// official image. The haproxy image runs as the unprivileged `haproxy` user from 2.4 on, so a
// 2.x container needs the kernel's unprivileged port floor lowered to bind ports below 1024.
import { continued, oneLine as shellOneLine } from '../shell';
import type { LbOptions } from './options';

export const HAPROXY_CONFIG_PATH = '/usr/local/etc/haproxy/haproxy.cfg';
export const NGINX_CONFIG_PATH = '/etc/nginx/nginx.conf';

export const LB_IMAGES = {
  haproxy: { '1.7': 'haproxy:1.7-alpine', '2.2': 'haproxy:lts-alpine' },
  nginx: 'nginx:stable-alpine',
} as const;

export interface LbRunInstructions {
  /** What the command does, in one sentence. */
  summary: string;
  /** The command itself, one line per shell line (continuations end in a backslash). */
  command: string;
}

/** Ports the load balancer listens on: the two pools, and the stats page when there is one. */
function listenPorts(options: LbOptions): number[] {
  return [
    options.httpPort,
    options.httpsPort,
    ...(options.stats && options.kind !== 'elb' ? [options.statsPort] : []),
  ];
}

function dockerRun(image: string, file: string, target: string, extra: string[]): string {
  // Double quotes on purpose: the shell expands $PWD to the directory the file was saved in.
  return continued([
    'docker run -d --name dtr-lb --restart=unless-stopped',
    ...extra,
    `-v "$PWD/${file}:${target}:ro"`,
    image,
  ]);
}

/** The command that starts this config, as the DTR document starts its load balancers. */
export function lbRunInstructions(options: LbOptions, filename: string): LbRunInstructions {
  const publish = listenPorts(options).map((port) => `-p ${port}:${port}`);
  if (options.kind === 'haproxy') {
    const image = LB_IMAGES.haproxy[options.haproxyVersion];
    // 2.4+ images drop root; 1.7 images run as root and bind any port.
    const lowPorts = options.haproxyVersion !== '1.7' && listenPorts(options).some((p) => p < 1024);
    // The official image runs as the haproxy user from 2.4 on, so binding :80/:443 needs this
    // (docker-library/haproxy#160, "Running as the haproxy user in 2.4 …cannot bind socket").
    const sysctl = lowPorts ? ['--sysctl net.ipv4.ip_unprivileged_port_start=0'] : [];
    return {
      summary: `Start HAProxy from the official ${image} image with this file as its ${HAPROXY_CONFIG_PATH}, publishing ports ${listenPorts(options).join(', ')}.`,
      command: dockerRun(image, filename, HAPROXY_CONFIG_PATH, [...publish, ...sysctl]),
    };
  }
  if (options.kind === 'nginx') {
    if (options.nginxStreamModule === 'builtin') {
      return {
        summary: `Start NGINX from the official ${LB_IMAGES.nginx} image (stream module built in) with this file as its ${NGINX_CONFIG_PATH}, publishing ports ${listenPorts(options).join(', ')}.`,
        command: dockerRun(LB_IMAGES.nginx, filename, NGINX_CONFIG_PATH, publish),
      };
    }
    return {
      summary: `Install NGINX and its stream module from Debian/Ubuntu on the load-balancer host, make this file its ${NGINX_CONFIG_PATH}, check it and load it.`,
      command: [
        'apt-get install -y nginx-light libnginx-mod-stream',
        `install -m 644 ${filename} ${NGINX_CONFIG_PATH}`,
        'nginx -t && systemctl reload nginx',
      ].join('\n'),
    };
  }
  return {
    summary:
      'Create the Classic ELB from this CloudFormation template; give it your subnets, the load balancer’s security groups and the EC2 instances of the DTR nodes.',
    command: continued([
      `aws cloudformation deploy --template-file ${filename} --stack-name dtr-lb`,
      '--parameter-overrides Subnets=subnet-... SecurityGroups=sg-... Instances=i-...,i-...,i-...',
    ]),
  };
}

/** Which versions of the load balancer the config is written for, in one sentence. */
export function lbTargetVersions(options: LbOptions): string {
  if (options.kind === 'haproxy') {
    return options.haproxyVersion === '1.7'
      ? 'For HAProxy 1.7 and later (1.7, 1.8, 2.x, 3.x): it uses only keywords HAProxy 1.7 knows, as the DTR document runs haproxy:1.7-alpine.'
      : 'For HAProxy 2.2 and later: the health check sends a Host header (http-check send) and host names are re-resolved at run time; HAProxy 1.7 to 2.1 refuse this file.';
  }
  if (options.kind === 'nginx') {
    return options.nginxStreamModule === 'builtin'
      ? 'For NGINX 1.9 and later with the stream module built in: the official nginx image (nginx:stable-alpine, as the DTR document runs) and nginx.org packages.'
      : 'For NGINX 1.9.11 and later from Debian or Ubuntu, where the stream module is the separate package libnginx-mod-stream, loaded by this file.';
  }
  return 'For an AWS Classic Load Balancer, created with CloudFormation.';
}

/** The command on one line: continuations joined (as the shell reads them), commands chained with &&. */
export function oneLine(command: string): string {
  return command
    .split('\n')
    .reduce<string[]>((lines, line) => {
      const last = lines.at(-1);
      if (last?.endsWith('\\')) lines[lines.length - 1] = `${last}\n${line}`;
      else lines.push(line);
      return lines;
    }, [])
    .map(shellOneLine)
    .join(' && ');
}

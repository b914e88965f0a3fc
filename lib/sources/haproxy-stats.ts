// HAProxy's stats page as CSV (`<stats uri>;csv`): the load balancer's view of its servers.
import 'server-only';
import { z } from 'zod';
import { replicaIdOfServer, type LbServerState } from '@/lib/domain/lb/drift';
import { SourceError, statusError } from './errors';
import { httpRequest, type TlsSettings } from './http';

export interface HaproxyStatsRequest {
  /** The stats page, e.g. http://lb.example.com:8404/stats; `;csv` is added unless already there. */
  statsUrl: string;
  timeoutMs: number;
  tls?: TlsSettings;
  /** For a stats page behind `stats auth <user>:<password>`. */
  basicAuth?: { username: string; password: string };
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The CSV address of a stats page, with `user:password@` moved into a Basic header (`stats auth`). */
export function statsCsvRequest(statsUrl: string): {
  url: string;
  headers: Record<string, string>;
} {
  const url = new URL(statsUrl);
  const headers: Record<string, string> = { accept: 'text/csv, text/plain' };
  if (url.username !== '' || url.password !== '') {
    headers.authorization = basic(
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
    );
    url.username = '';
    url.password = '';
  }
  if (!/;csv(;|$)/.test(url.pathname)) url.pathname = `${url.pathname};csv`;
  return { url: url.toString(), headers };
}

/** One CSV line; HAProxy quotes a field (doubling inner quotes) when it holds a comma or a quote. */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  fields.push(field);
  return fields;
}

const Header = z
  .array(z.string())
  .refine((columns) => ['pxname', 'svname', 'status'].every((c) => columns.includes(c)), {
    message: 'the header lacks pxname, svname or status',
  });

const text = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? null : value.trim()));

// Unknown columns pass through: every HAProxy release adds some.
const StatsRow = z.looseObject({
  pxname: z.string().min(1, 'empty proxy name'),
  svname: z.string().min(1, 'empty server name'),
  status: z.string(),
  type: text,
  check_status: text,
  check_desc: text,
  last_chk: text,
  addr: text,
  lastchg: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return null;
      if (!/^\d+$/.test(value)) {
        ctx.addIssue({ code: 'custom', message: `lastchg is not a number of seconds: "${value}"` });
        return z.NEVER;
      }
      return Number(value);
    }),
});

/** Server rows of a stats CSV (FRONTEND, BACKEND and listener rows are left out). */
export function parseHaproxyStatsCsv(body: string): LbServerState[] {
  const lines = body.split(/\r?\n/);
  const first = lines[0] ?? '';
  if (!first.startsWith('# ')) {
    throw new SourceError(
      'malformed',
      'malformed response: not HAProxy stats CSV (its first line starts with "# pxname,svname"); is LB_STATS_URL the stats page?',
    );
  }
  const header = Header.safeParse(splitCsvLine(first.slice(2)).map((c) => c.trim()));
  if (!header.success) {
    throw new SourceError(
      'malformed',
      `malformed response: HAProxy stats CSV: ${header.error.issues[0]?.message}`,
    );
  }
  const columns = header.data;
  const servers: LbServerState[] = [];
  for (const [index, line] of lines.slice(1).entries()) {
    if (line.trim() === '') continue;
    const values = splitCsvLine(line);
    const raw = Object.fromEntries(
      columns.flatMap((column, i) =>
        column === '' || values[i] === undefined ? [] : [[column, values[i]]],
      ),
    );
    const parsed = StatsRow.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SourceError(
        'malformed',
        `malformed response: HAProxy stats CSV line ${index + 2}: ${issue?.path.join('.') || 'row'}: ${issue?.message}`,
      );
    }
    const row = parsed.data;
    const isServer =
      row.type !== null ? row.type === '2' : row.svname !== 'FRONTEND' && row.svname !== 'BACKEND';
    if (!isServer) continue;
    const detail = [row.check_desc, row.last_chk].filter((part) => part !== null);
    servers.push({
      backend: row.pxname,
      server: row.svname,
      replicaId: replicaIdOfServer(row.svname),
      status: row.status.trim(),
      checkStatus: row.check_status,
      checkDetail: detail.length > 0 ? detail.join(': ') : null,
      lastChange: row.lastchg,
      address: row.addr,
    });
  }
  return servers;
}

/** Reads the stats once. Rejects with a SourceError whose message names the host, never credentials. */
export async function fetchHaproxyStats(request: HaproxyStatsRequest): Promise<LbServerState[]> {
  const { url, headers } = statsCsvRequest(request.statsUrl);
  if (request.basicAuth) {
    headers.authorization = basic(request.basicAuth.username, request.basicAuth.password);
  }
  const response = await httpRequest({
    method: 'GET',
    url,
    headers,
    timeoutMs: request.timeoutMs,
    ...(request.tls ? { tls: request.tls } : {}),
  });
  if (response.status < 200 || response.status > 299) {
    throw statusError(response.status, 'GET', url);
  }
  return parseHaproxyStatsCsv(response.body);
}

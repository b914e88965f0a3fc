// The console's own view: SOURCE_UNREACHABLE (data shown is old or missing).
import type { SourceName, Warning } from '../types';
import { ageMs, type Rule } from './context';
import { durationInWords } from './format';

const SOURCE_LABEL: Record<SourceName, string> = { ucp: 'UCP', dtr: 'DTR' };
const SOURCE_SETTINGS: Record<SourceName, string> = {
  ucp: 'UCP_URL, UCP_USERNAME, UCP_PASSWORD and UCP_CA_FILE',
  dtr: 'DTR_URL, DTR_CA_FILE and the DTR credentials',
};
// A plain Swarm manager read through DOCKER_HOST stands where UCP would.
const SWARM_LABEL = 'Swarm';
const SWARM_SETTINGS = 'DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY';

export const sourceUnreachable: Rule = (ctx) =>
  (['ucp', 'dtr'] as const).flatMap((name): Warning[] => {
    const source = ctx.snapshot.sources[name];
    if (source.state === 'ok' || source.configured === false) return [];
    const swarm = name === 'ucp' && ctx.snapshot.ucp.via === 'engine';
    const label = swarm ? SWARM_LABEL : SOURCE_LABEL[name];
    const settings = swarm ? SWARM_SETTINGS : SOURCE_SETTINGS[name];
    const age = ageMs(ctx, source.lastSuccessAt);
    const why = source.lastError ? ` Last error: ${source.lastError}.` : '';
    const detail =
      age === null
        ? `The console has not been able to read ${label} yet, so nothing shown for ${label} is real data.${why}`
        : `The console cannot read ${label}. What is shown for ${label} is from ${source.lastSuccessAt} (${durationInWords(age)} ago), not current.${why}`;
    return [
      {
        code: 'SOURCE_UNREACHABLE',
        severity: source.state === 'error' ? 'critical' : 'warning',
        title:
          age === null ? `No data from ${label}` : `${label} data is ${durationInWords(age)} old`,
        detail,
        nextStep:
          `Check that the console’s server can reach ${label} and that its settings (${settings}) are right. ` +
          `If ${label} itself is down, the other warnings are based on old data.`,
        subjects: [name],
      },
    ];
  });

// The secrets the e2e console runs with, chosen once per run in the runner process and inherited
// by the workers (Playwright re-evaluates the config in each), so the scan knows what to look for.
import { randomBytes } from 'node:crypto';

process.env.E2E_SESSION_SECRET ??= `e2e-session-${randomBytes(24).toString('hex')}`;
process.env.E2E_METRICS_TOKEN ??= `e2e-metrics-${randomBytes(16).toString('hex')}`;
process.env.E2E_SERVICE_PASSWORD ??= `e2e-service-${randomBytes(16).toString('hex')}`;

export const E2E_SECRETS = {
  sessionSecret: process.env.E2E_SESSION_SECRET,
  metricsToken: process.env.E2E_METRICS_TOKEN,
  servicePassword: process.env.E2E_SERVICE_PASSWORD,
} as const;

/** Where the e2e run keeps the console's log and the responses the browser received. */
export const E2E_LOG_DIR = '.e2e-logs';
export const SERVER_LOG = `${E2E_LOG_DIR}/server.log`;
export const RESPONSES_LOG = `${E2E_LOG_DIR}/responses.jsonl`;

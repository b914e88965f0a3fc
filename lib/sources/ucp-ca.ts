// The UCP CA the bootstrapper is told to trust when the console runs it: the CA the console itself
// verifies UCP with (UCP_CA_FILE), or UCP's /ca fetched over TLS the machine already trusts. Never
// one downloaded without verification: then the console cannot vouch for it, and says so.
import 'server-only';
import type { UcpTarget } from '@/lib/config';
import { httpRequest } from './http';

export async function ucpCaPem(ucp: UcpTarget | null, timeoutMs: number): Promise<string | null> {
  if (!ucp) return null;
  if (ucp.ca) return ucp.ca;
  if (ucp.insecureTls || !ucp.url.startsWith('https:')) return null;
  try {
    const res = await httpRequest({
      method: 'GET',
      url: `${ucp.url}/ca`,
      timeoutMs,
      tls: { insecureTls: false },
    });
    return res.status === 200 && res.body.includes('-----BEGIN CERTIFICATE-----')
      ? res.body.trim()
      : null;
  } catch {
    return null;
  }
}

import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import { AuthOffBanner } from '@/components/auth/auth-off-banner';
import { ExecuteBanner, ExecuteProvider } from '@/components/layout/execute-banner';
import { AuthProvider } from '@/components/auth/user-context';
import { SiteHeader } from '@/components/layout/site-header';
import { currentCsrfToken, currentRoles } from '@/lib/server/current-user';
import { ClusterScope } from '@/components/layout/cluster-scope';
import { requestCluster } from '@/lib/server/cluster-request';
import { getFleet } from '@/lib/server/runtime';
import './globals.css';

const METADATA: Metadata = {
  title: { default: 'DTR HA Console', template: '%s · DTR HA Console' },
  description:
    'Live quorum of a Docker Trusted Registry (MSR 2.x) on UCP (MKE): replicas, managers, failures tolerated, warnings and the next step.',
  // public/: icon.svg is the source; scripts/render-icons.mjs renders the PNGs and favicon.ico.
  icons: {
    icon: [
      { url: '/icon.svg', type: 'image/svg+xml' },
      { url: '/icon-32.png', type: 'image/png', sizes: '32x32' },
    ],
    apple: { url: '/apple-touch-icon.png', sizes: '180x180' },
  },
  manifest: '/manifest.webmanifest',
};

/** In a fleet, every tab names its cluster: "Replicas · prod · DTR HA Console". */
export async function generateMetadata(): Promise<Metadata> {
  // Never at build time: reading the fleet boots the runtime.
  await connection();
  const cluster = await requestCluster();
  if (cluster === null || !(await getFleet()).multi) return METADATA;
  return {
    ...METADATA,
    title: { default: `${cluster} · DTR HA Console`, template: `%s · ${cluster} · DTR HA Console` },
  };
}

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0f172a' },
  ],
};

// Reading the session makes every page dynamic, which the per-request CSP nonce needs anyway.
export default async function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  // Never prerendered: reading the settings boots the runtime, which must not happen at build time.
  await connection();
  const [fleet, user, csrf, cluster] = await Promise.all([
    getFleet(),
    currentRoles(),
    currentCsrfToken(),
    requestCluster(),
  ]);
  const settings = fleet.auth;
  const executing = Object.fromEntries(
    fleet.clusters.flatMap((runtime) =>
      runtime.execution ? [[runtime.cluster, runtime.execution.driver.where]] : [],
    ),
  );
  return (
    <html lang="en">
      <head>
        <meta name="csrf-token" content={csrf ?? ''} />
      </head>
      <body className="min-h-dvh">
        <AuthProvider
          value={{
            user,
            signInRequired: settings.enabled,
            // The browser decides by the cluster in its URL; unprefixed, by this one.
            defaultCluster: fleet.multi ? null : fleet.clusters[0]!.cluster,
          }}
        >
          <a
            href="#main"
            className="sr-only z-50 rounded-md bg-white px-3 py-2 font-semibold text-slate-900 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:outline-2 focus:outline-sky-600"
          >
            Skip to content
          </a>
          {settings.enabled ? null : <AuthOffBanner />}
          <ExecuteProvider
            value={{
              clusters: executing,
              defaultCluster: fleet.multi ? null : fleet.clusters[0]!.cluster,
            }}
          >
            <ClusterScope serverBase={cluster === null ? '' : `/c/${cluster}`}>
              <ExecuteBanner multi={fleet.multi} />
              <SiteHeader
                mode={fleet.config.mode}
                clusters={fleet.multi ? fleet.clusters.map((runtime) => runtime.cluster) : []}
              />
              <main
                id="main"
                tabIndex={-1}
                className="mx-auto max-w-7xl px-4 py-6 focus:outline-none sm:px-6"
              >
                {children}
              </main>
            </ClusterScope>
          </ExecuteProvider>
        </AuthProvider>
      </body>
    </html>
  );
}

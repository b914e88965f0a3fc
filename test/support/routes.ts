// The console's routes as they are on disk: every route handler and page under app/, with the URL
// path each answers. The authorization matrices read them from here, so a new route or page is in
// every matrix the moment it exists.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const APP = path.resolve(__dirname, '..', '..', 'app');

/** The value every dynamic segment ([id], …) takes in a discovered URL path. */
export const ROUTE_TEST_ID = 'matrix-test-id';

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];
export type RouteHandler = (request: Request, context: unknown) => Promise<Response>;

export interface RouteFile {
  /** Absolute path of the route.ts file, for a dynamic import. */
  file: string;
  /** The URL path it answers, e.g. /api/wizards/runs/matrix-test-id. */
  urlPath: string;
}

function filesNamed(dir: string, name: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesNamed(full, name);
    return name.test(entry.name) ? [full] : [];
  });
}

/** app/api/wizards/runs/[id]/route.ts → /api/wizards/runs/matrix-test-id (route groups dropped). */
function urlPathOf(file: string): string {
  const segments = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment && !/^\(.*\)$/.test(segment) && !segment.startsWith('_'))
    .map((segment) => (/^\[.*\]$/.test(segment) ? ROUTE_TEST_ID : segment));
  return `/${segments.join('/')}`;
}

/** Every route handler file under app/ and the URL path it answers. */
export function routeFiles(): RouteFile[] {
  return filesNamed(APP, /^route\.ts$/).map((file) => ({ file, urlPath: urlPathOf(file) }));
}

/** The URL path of every page under app/. */
export function pagePaths(): string[] {
  return filesNamed(APP, /^page\.tsx$/).map((file) => urlPathOf(file));
}

/** The handlers a route file exports, by method; fails the test when it exports none. */
export async function routeHandlers(
  file: string,
): Promise<Array<{ method: RouteMethod; handler: RouteHandler }>> {
  const mod = (await import(file)) as Partial<Record<RouteMethod, RouteHandler>>;
  const handlers = ROUTE_METHODS.flatMap((method) => {
    const handler = mod[method];
    return typeof handler === 'function' ? [{ method, handler }] : [];
  });
  if (handlers.length === 0) throw new Error(`${file} exports no route handler (GET, POST, …).`);
  return handlers;
}

/** The second argument Next passes a dynamic route's handler. */
export function routeContext(): { params: Promise<{ id: string }> } {
  return { params: Promise.resolve({ id: ROUTE_TEST_ID }) };
}

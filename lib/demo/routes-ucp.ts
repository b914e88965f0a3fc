// A UCP manager's HTTP routes (DESIGN.md §2): login, _ping, nodes, ca, accounts, containers.
import {
  ucpAccount,
  ucpContainers,
  ucpNodesBody,
  UCP_CA_PEM,
  UCP_NO_LEADER_ERROR,
} from './payloads-ucp';
import {
  errors,
  isRead,
  json,
  jsonText,
  text,
  type DemoContext,
  type DemoRequest,
  type DemoResponse,
} from './wire';

/** Docker clients may prefix Engine API paths with a version, e.g. /v1.41/nodes. */
function withoutApiVersion(path: string): string {
  return path.replace(/^\/v\d+\.\d+(?=\/)/, '');
}

function login(ctx: DemoContext, body: string): DemoResponse {
  let credentials: unknown;
  try {
    credentials = JSON.parse(body);
  } catch {
    return errors(400, 'INVALID_JSON', 'request body is not valid JSON');
  }
  const { username, password } = (credentials ?? {}) as Record<string, unknown>;
  const tokens =
    typeof username === 'string' && typeof password === 'string'
      ? ctx.auth.login(username, password)
      : null;
  return tokens ? json(200, tokens) : errors(401, 'UNAUTHORIZED', 'invalid username or password');
}

/** Docker's `filters={"name":["x"]}` or `{"name":{"x":true}}`. */
function nameFilter(raw: string | null): string[] | null {
  if (!raw) return [];
  try {
    const filters = JSON.parse(raw) as Record<string, unknown>;
    const name = filters?.name;
    if (name === undefined) return [];
    if (Array.isArray(name)) return name.map(String);
    if (typeof name === 'object' && name !== null) return Object.keys(name);
    return null;
  } catch {
    return null;
  }
}

function containers(ctx: DemoContext, query: URLSearchParams): DemoResponse {
  const names = nameFilter(query.get('filters'));
  if (!names) return json(400, { message: 'invalid filter' });
  const all = ['1', 'true'].includes(query.get('all') ?? '');
  return json(200, ucpContainers(ctx.model, { all, names }));
}

export function routeUcp(ctx: DemoContext, manager: string, request: DemoRequest): DemoResponse {
  const path = withoutApiVersion(request.path);
  const { model } = ctx;
  if (path === '/_ping' && isRead(request)) {
    const healthy = model.ucpHasQuorum() && model.faultOf(manager) !== 'error';
    return healthy ? text(200, 'OK') : text(500, 'unhealthy');
  }
  if (path === '/ca' && isRead(request))
    return text(200, ctx.ucpCa ?? UCP_CA_PEM, 'application/x-pem-file');
  if (path === '/auth/login') {
    return request.method === 'POST'
      ? login(ctx, request.body)
      : json(405, { message: 'method not allowed' });
  }

  const user = ctx.auth.bearerUser(request.authorization);
  if (!user)
    return errors(401, 'UNAUTHORIZED', 'unauthorized: log in and send the token as a Bearer token');
  if (!isRead(request)) return json(405, { message: 'method not allowed' });
  if (path === '/nodes') {
    return model.ucpHasQuorum()
      ? jsonText(200, ucpNodesBody(model))
      : json(500, { message: UCP_NO_LEADER_ERROR });
  }
  if (path === '/containers/json') return containers(ctx, request.query);
  const account = /^\/accounts\/([^/]+)$/.exec(path);
  if (account?.[1]) {
    const found = ctx.auth.user(decodeURIComponent(account[1]));
    return found
      ? json(200, ucpAccount(found))
      : errors(404, 'ACCOUNT_NOT_FOUND', 'account not found');
  }
  return json(404, { message: 'page not found' });
}

// Where to send someone after sign-in: a same-origin path, checked after normalisation.
//
// Checking the raw `next=` value is not enough: "/.//evil.example/x" and "/x/..//evil.example/x"
// start with a single "/", yet the URL parser normalises both to "//evil.example/x", which a
// browser (location.assign) and a Location header read as another host. So the rules below are
// applied to the normalised result too, and the result must resolve to the same origin from any
// page of the console. Pure (no server imports): the sign-in form checks again before it
// navigates.

const ORIGIN = 'https://console.invalid';
const MAX_LENGTH = 512;

/** One "/" then not another "/" or "\": no scheme, no authority, no control characters. */
function isPlainPath(value: string): boolean {
  return (
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !value.startsWith('/\\') &&
    !/[\u0000-\u001f\u007f\\]/.test(value)
  );
}

function pathOf(url: URL): string {
  return `${url.pathname}${url.search}${url.hash}`;
}

function resolves(path: string, base: string): URL | null {
  try {
    return new URL(path, base);
  } catch {
    return null;
  }
}

/** A same-origin path to return to after sign-in; anything else becomes "/". */
export function safeNextPath(raw: string | null | undefined): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_LENGTH) return '/';
  if (!isPlainPath(raw)) return '/';
  const url = resolves(raw, `${ORIGIN}/`);
  if (!url || url.origin !== ORIGIN) return '/';
  const path = pathOf(url);
  // The normalised path is what gets used, so it is what must be plain.
  if (path.length > MAX_LENGTH || !isPlainPath(path)) return '/';
  // And it must be a fixed point that stays on the console from any page it is resolved against.
  for (const base of [`${ORIGIN}/`, `${ORIGIN}/a/b/c`]) {
    const again = resolves(path, base);
    if (!again || again.origin !== ORIGIN || pathOf(again) !== path) return '/';
  }
  if (url.pathname === '/login' || url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    return '/';
  }
  return path;
}

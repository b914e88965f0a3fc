// Reads the console's one error shape ({ error: { code, message } }) from a failed response.

/** The server's own message when it sent one, else a plain description of the HTTP status. */
export async function apiErrorMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const { error } = body;
      if (typeof error === 'object' && error !== null && 'message' in error) {
        const { message } = error;
        if (typeof message === 'string' && message.trim()) return message;
      }
    }
  } catch {
    // not JSON: fall through to the status line
  }
  return `The console answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
}

/** The header a mutating request carries once the server hands out a CSRF token in the page. */
export function csrfHeaders(): Record<string, string> {
  const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
  return token ? { 'x-csrf-token': token } : {};
}

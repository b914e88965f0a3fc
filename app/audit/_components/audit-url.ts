// The /audit page's URL: its filters and page, so a view of the log can be shared as a link.

export type SearchParams = Record<string, string | string[] | undefined>;

/** The filter fields a URL may carry, in the order they are written. */
export const FILTER_FIELDS = ['actor', 'action', 'outcome', 'from', 'to', 'limit'] as const;

/** The first value of each known field, blanks dropped (a submitted empty filter means "any"). */
export function filterValues(params: SearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of [...FILTER_FIELDS, 'before', 'after'] as const) {
    const raw = params[field];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) values[field] = value;
  }
  return values;
}

/** The link to the same filters on another page: `page` is a `before` or `after` cursor, or none. */
export function auditHref(
  filters: Record<string, string>,
  page: { before: string } | { after: string } | null = null,
): string {
  const query = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (filters[field]) query.set(field, filters[field]);
  if (page && 'before' in page) query.set('before', page.before);
  if (page && 'after' in page) query.set('after', page.after);
  const search = query.toString();
  return search ? `/audit?${search}` : '/audit';
}

/** "2024-05-01T12:00" in UTC, the value a datetime-local input takes, from a stored ISO time. */
export function inputTime(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : '';
}

/** "2024-05-01 12:00:04 UTC" */
export function displayTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

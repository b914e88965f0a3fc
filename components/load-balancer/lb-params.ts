// The load-balancer page's settings as text (the address bar, the form) and back: whatever cannot
// be used falls back to its default, and every fallback is named so the page can say so.
import { LB_KINDS, LB_OPTIONS_USED, LbOptionsSchema, type LbKind } from '@/lib/domain/lb/options';
import {
  LB_SETTINGS,
  type LbFormState,
  type LbParamProblem,
  type ResolvedLbOptions,
} from './lb-form';

export * from './lb-form';

/** When a rule between two settings fails on a default, the setting given with it is the one to drop. */
const GIVEN_WITH: Partial<Record<string, readonly string[]>> = {
  checkTimeoutMs: ['checkIntervalMs'],
  checkIntervalMs: ['checkTimeoutMs'],
  httpsPort: ['httpPort'],
  httpPort: ['httpsPort'],
  statsPort: ['stats', 'httpPort', 'httpsPort'],
};

const isKind = (value: string): value is LbKind => (LB_KINDS as readonly string[]).includes(value);

/**
 * Options from text values. Each setting the schema refuses is dropped (its default stands in) and
 * reported, until the rest parses; an unknown kind becomes HAProxy.
 */
export function resolveLbOptions(
  kindText: string | undefined,
  values: Readonly<Record<string, string>>,
  generatedAt: string,
): ResolvedLbOptions {
  const problems: LbParamProblem[] = [];
  let kind: LbKind = 'haproxy';
  if (kindText !== undefined && kindText !== '') {
    if (isKind(kindText)) kind = kindText;
    else
      problems.push({
        param: 'kind',
        value: kindText,
        message: `must be one of: ${LB_KINDS.join(', ')}`,
      });
  }
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if ((LB_SETTINGS as string[]).includes(key)) input[key] = value;
    else if (key !== 'kind')
      problems.push({ param: key, value, message: 'not a setting of this page' });
  }
  const drop = (key: string, message: string) => {
    problems.push({ param: key, value: input[key] ?? '', message });
    delete input[key];
  };
  // Every round drops at least one given setting, so this ends with the kind's defaults at worst.
  for (;;) {
    const parsed = LbOptionsSchema.safeParse({ ...input, kind, generatedAt });
    if (parsed.success) return { options: parsed.data, problems };
    const droppedNow = new Set<string>();
    // A value out of range first: rules between settings (custom issues) may only echo it.
    const fieldIssues = parsed.error.issues.filter((issue) => issue.code !== 'custom');
    const issues = fieldIssues.length > 0 ? fieldIssues : parsed.error.issues;
    for (const issue of issues) {
      const key = String(issue.path[0] ?? '');
      if (droppedNow.has(key)) continue;
      const culprit = key in input ? key : (GIVEN_WITH[key] ?? []).find((other) => other in input);
      if (culprit === undefined) continue;
      drop(culprit, culprit === key ? issue.message : `${key} ${issue.message}`);
      droppedNow.add(culprit);
    }
    if (droppedNow.size === 0) {
      // Nothing given explains it: the kind's defaults, which always parse.
      const first = parsed.error.issues[0];
      const why = `${String(first?.path[0] ?? '')} ${first?.message ?? 'is not valid'}`.trim();
      const given = Object.keys(input);
      if (given.length === 0) {
        return { options: LbOptionsSchema.parse({ kind: 'haproxy', generatedAt }), problems };
      }
      for (const key of given) drop(key, why);
    }
  }
}

/** The page's search params (repeated ones count as given once: the first). */
export function parseLbSearchParams(
  params: Readonly<Record<string, string | string[] | undefined>>,
  generatedAt: string,
): ResolvedLbOptions {
  const values: Record<string, string> = {};
  const repeated: LbParamProblem[] = [];
  for (const [key, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    if (Array.isArray(raw) && raw.length > 1)
      repeated.push({
        param: key,
        value: raw.join(', '),
        message: 'given more than once; the first counts',
      });
    values[key] = value;
  }
  const { kind, ...rest } = values;
  const resolved = resolveLbOptions(kind, rest, generatedAt);
  return { ...resolved, problems: [...repeated, ...resolved.problems] };
}

/** Options from the form, validating only the settings the chosen kind uses. */
export function optionsFromForm(form: LbFormState, generatedAt: string): ResolvedLbOptions {
  const used = Object.fromEntries(LB_OPTIONS_USED[form.kind].map((key) => [key, form[key]]));
  return resolveLbOptions(form.kind, used, generatedAt);
}

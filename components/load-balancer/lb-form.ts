// The load-balancer page's settings as form text and as a query, without the schema: the page
// loads lb-params.ts (zod) only once someone edits a setting.
import { LB_OPTION_DEFAULTS, permalinkOf, type LbKind } from '@/lib/domain/lb/option-values';
import type { LbOptions } from '@/lib/domain/lb/options';

export type LbSetting = keyof typeof LB_OPTION_DEFAULTS;
export const LB_SETTINGS = Object.keys(LB_OPTION_DEFAULTS) as LbSetting[];

export interface LbParamProblem {
  param: string;
  value: string;
  message: string;
}

export interface ResolvedLbOptions {
  options: LbOptions;
  problems: LbParamProblem[];
}

/** The query both this page and GET /api/load-balancer/config take: the kind and what differs from the defaults. */
export function lbQueryOf(options: LbOptions): string {
  return permalinkOf({ ...options, permalinkBase: undefined }).split('?')[1] ?? '';
}

/** The form: every setting as text, so a half-typed value survives until it parses. */
export type LbFormState = { kind: LbKind } & Record<LbSetting, string>;

export function formStateOf(options: LbOptions): LbFormState {
  const form = { kind: options.kind } as LbFormState;
  for (const key of LB_SETTINGS) form[key] = String(options[key]);
  return form;
}

'use client';

import { useEffect, useId, useState } from 'react';
import type { ReplicaState } from '@/lib/domain/types';
import {
  joinOptionProblems,
  TOOL_HTTP_PORT,
  TOOL_HTTPS_PORT,
  type JoinOptionDrafts,
  type JoinPortDefaults,
} from '@/lib/domain/wizards/join-options';
import type { CaChoice, JoinParams } from '@/lib/domain/wizards/params';
import { replicaLabel } from './replica-option';
import { fieldClass } from '@/components/ui/styles';

type Field = keyof JoinOptionDrafts;

// A replica ID is wrong while half typed: say so once the person leaves the fieldClass, or at once when
// no more typing can make it right. Ports and the CA path are judged as typed.
const cannotBecomeReplicaId = (text: string) => text.length > 12 || /[^0-9a-f]/.test(text);

const CA_CHOICES: { value: CaChoice; label: string; explain: string }[] = [
  {
    value: 'fetch',
    label: 'Download the UCP CA first',
    explain: 'Prints a curl line that saves UCP’s CA to ucp-ca.pem.',
  },
  {
    value: 'file',
    label: 'I have the UCP CA in a file',
    explain: 'The command reads the PEM from your path.',
  },
  {
    value: 'insecure',
    label: 'Skip the certificate check (--ucp-insecure-tls)',
    explain: 'Not recommended.',
  },
];

export function JoinOptionsStep({
  params,
  healthy,
  suggested,
  portDefaults,
  onChange,
  onValidity,
}: {
  params: JoinParams;
  healthy: ReplicaState[];
  suggested: string | null;
  /** The replicas' shared ports: the fields start with them. */
  portDefaults: JoinPortDefaults;
  onChange: (change: Partial<JoinParams>) => void;
  onValidity: (valid: boolean) => void;
}) {
  const id = useId();
  const shared = portDefaults.ports;
  const [drafts, setDrafts] = useState<JoinOptionDrafts>({
    replicaId: params.replicaId ?? '',
    httpPort: String(params.httpPort ?? shared?.httpPort ?? ''),
    httpsPort: String(params.httpsPort ?? shared?.httpsPort ?? ''),
    caPath: params.caPath ?? '',
  });
  const [left, setLeft] = useState<ReadonlySet<Field>>(new Set());
  const problems = joinOptionProblems(drafts, params.ca, portDefaults);
  const valid = Object.keys(problems).length === 0;
  useEffect(() => onValidity(valid), [valid, onValidity]);

  const shown = (key: Field): string | undefined =>
    key === 'replicaId' && !left.has(key) && !cannotBecomeReplicaId(drafts.replicaId)
      ? undefined
      : problems[key];

  function edit(key: Field, value: string) {
    const next = { ...drafts, [key]: value };
    setDrafts(next);
    // The URL only ever holds values the plan may use.
    if (joinOptionProblems(next, params.ca, portDefaults)[key]) return;
    const v = value === '' ? null : value;
    if (key === 'replicaId') onChange({ replicaId: v });
    if (key === 'httpPort') onChange({ httpPort: v === null ? null : Number(v) });
    if (key === 'httpsPort') onChange({ httpsPort: v === null ? null : Number(v) });
    if (key === 'caPath') onChange({ caPath: v });
  }

  const text = (key: Field, label: string, hint: string, testid: string, inputMode?: 'numeric') => {
    const problem = shown(key);
    return (
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-${key}`} className="text-sm font-medium">
          {label}
        </label>
        <input
          id={`${id}-${key}`}
          data-testid={testid}
          className={`${fieldClass} font-mono`}
          value={drafts[key]}
          inputMode={inputMode}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-${key}-hint`}
          onChange={(event) => edit(key, event.target.value.trim())}
          onBlur={() => setLeft((fields) => new Set(fields).add(key))}
        />
        <p
          id={`${id}-${key}-hint`}
          data-testid={`${testid}-hint`}
          aria-live="polite"
          className={`text-xs ${problem ? 'font-medium text-red-800 dark:text-red-200' : 'text-slate-600 dark:text-slate-400'}`}
        >
          {problem ?? hint}
        </p>
      </div>
    );
  };

  const portHint = (port: number | undefined, tool: number) =>
    port !== undefined
      ? `Every replica uses ${port}; empty also means ${port}.`
      : `Empty: ${tool}, the tool’s default.`;

  return (
    <div className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2">
      <div className="flex flex-col gap-1 sm:col-span-2">
        <label htmlFor={`${id}-existing`} className="text-sm font-medium">
          Healthy replica to join through
        </label>
        <select
          id={`${id}-existing`}
          data-testid="existing-replica-select"
          className={fieldClass}
          value={params.existing ?? ''}
          onChange={(event) => onChange({ existing: event.target.value || null })}
        >
          <option value="">{suggested ? `Suggested: ${suggested}` : 'No healthy replica'}</option>
          {healthy.map((replica) => (
            <option key={replica.id} value={replica.id}>
              {replicaLabel(replica)}
            </option>
          ))}
        </select>
      </div>
      {text(
        'replicaId',
        'Replica ID (optional)',
        'Leave empty and the tool picks one.',
        'join-replica-id',
      )}
      <div className="hidden sm:block" />
      {text(
        'httpPort',
        'HTTP port',
        portHint(shared?.httpPort, TOOL_HTTP_PORT),
        'join-http-port',
        'numeric',
      )}
      {text(
        'httpsPort',
        'HTTPS port',
        portHint(shared?.httpsPort, TOOL_HTTPS_PORT),
        'join-https-port',
        'numeric',
      )}
      {portDefaults.note && (
        <p
          data-testid="join-ports-note"
          className="text-sm text-amber-900 sm:col-span-2 dark:text-amber-200"
        >
          {portDefaults.note}
        </p>
      )}
      <fieldset className="flex flex-col gap-2 sm:col-span-2">
        <legend className="text-sm font-medium">How the tool trusts UCP</legend>
        {CA_CHOICES.map((choice) => (
          <label key={choice.value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              name={`${id}-ca`}
              data-testid={`join-ca-${choice.value}`}
              className="mt-0.5 size-4"
              checked={params.ca === choice.value}
              onChange={() => onChange({ ca: choice.value })}
            />
            <span>
              <span className="font-medium">{choice.label}.</span> {choice.explain}
            </span>
          </label>
        ))}
      </fieldset>
      {params.ca === 'file' &&
        text(
          'caPath',
          'Path of the UCP CA file',
          'On the machine where you run the command.',
          'join-ca-path',
        )}
    </div>
  );
}

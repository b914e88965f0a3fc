'use client';

import { useId, useState } from 'react';
import type { ReplicaState } from '@/lib/domain/types';
import type { CaChoice, JoinParams } from '@/lib/domain/wizards';
import { replicaLabel } from './replica-option';
import { field } from './styles';

const REPLICA_ID = /^[0-9a-f]{12}$/;
const CA_PATH = /^[A-Za-z0-9._/+][A-Za-z0-9._/+-]{0,1023}$/;
const validPort = (text: string) =>
  /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;

type Drafts = { replicaId: string; httpPort: string; httpsPort: string; caPath: string };

/** Problems with the typed values, by field; the URL only ever holds valid ones. */
export function draftProblems(d: Drafts, ca: CaChoice): Partial<Record<keyof Drafts, string>> {
  return {
    ...(d.replicaId &&
      !REPLICA_ID.test(d.replicaId) && {
        replicaId: 'A replica ID is 12 lowercase hex characters.',
      }),
    ...(d.httpPort &&
      !validPort(d.httpPort) && { httpPort: 'A port is a whole number from 1 to 65535.' }),
    ...(d.httpsPort &&
      !validPort(d.httpsPort) && { httpsPort: 'A port is a whole number from 1 to 65535.' }),
    ...(ca === 'file' &&
      !CA_PATH.test(d.caPath) && {
        caPath: 'Give a path of letters, digits and . _ / + - that does not start with "-".',
      }),
  };
}

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
  onChange,
  onValidity,
}: {
  params: JoinParams;
  healthy: ReplicaState[];
  suggested: string | null;
  onChange: (change: Partial<JoinParams>) => void;
  onValidity: (valid: boolean) => void;
}) {
  const id = useId();
  const [drafts, setDrafts] = useState<Drafts>({
    replicaId: params.replicaId ?? '',
    httpPort: params.httpPort === null ? '' : String(params.httpPort),
    httpsPort: params.httpsPort === null ? '' : String(params.httpsPort),
    caPath: params.caPath ?? '',
  });
  const problems = draftProblems(drafts, params.ca);

  function edit(key: keyof Drafts, value: string, ca: CaChoice = params.ca) {
    const next = { ...drafts, [key]: value };
    setDrafts(next);
    const found = draftProblems(next, ca);
    onValidity(Object.keys(found).length === 0);
    if (found[key]) return;
    const v = value === '' ? null : value;
    if (key === 'replicaId') onChange({ replicaId: v });
    if (key === 'httpPort') onChange({ httpPort: v === null ? null : Number(v) });
    if (key === 'httpsPort') onChange({ httpsPort: v === null ? null : Number(v) });
    if (key === 'caPath') onChange({ caPath: v });
  }

  const text = (
    key: keyof Drafts,
    label: string,
    hint: string,
    testid: string,
    inputMode?: 'numeric',
  ) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-${key}`} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={`${id}-${key}`}
        data-testid={testid}
        className={`${field} font-mono`}
        value={drafts[key]}
        inputMode={inputMode}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={problems[key] ? true : undefined}
        aria-describedby={`${id}-${key}-hint`}
        onChange={(event) => edit(key, event.target.value.trim())}
      />
      <p
        id={`${id}-${key}-hint`}
        className={`text-xs ${problems[key] ? 'font-medium text-red-800 dark:text-red-200' : 'text-slate-600 dark:text-slate-400'}`}
      >
        {problems[key] ?? hint}
      </p>
    </div>
  );

  return (
    <div className="grid max-w-3xl grid-cols-1 gap-4 sm:grid-cols-2">
      <div className="flex flex-col gap-1 sm:col-span-2">
        <label htmlFor={`${id}-existing`} className="text-sm font-medium">
          Healthy replica to join through
        </label>
        <select
          id={`${id}-existing`}
          data-testid="existing-replica-select"
          className={field}
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
      {text('httpPort', 'HTTP port (optional)', 'Default 80.', 'join-http-port', 'numeric')}
      {text('httpsPort', 'HTTPS port (optional)', 'Default 443.', 'join-https-port', 'numeric')}
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
              onChange={() => {
                onChange({ ca: choice.value });
                onValidity(Object.keys(draftProblems(drafts, choice.value)).length === 0);
              }}
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

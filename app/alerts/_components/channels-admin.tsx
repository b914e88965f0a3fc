'use client';
// Administrators' channel list and form: add a channel, send it a test, switch it off or on,
// remove it. Secrets go to the server once and never come back (only their last 4 characters).
import { useState } from 'react';
import {
  CHANNEL_KINDS,
  CHANNEL_KIND_LABELS,
  type ChannelKind,
  type ChannelView,
} from '@/lib/domain/alerts/channels';
import { apiFetch, hasKeys } from '@/lib/hooks/api-fetch';
import { buttonClass } from '@/components/ui/styles';
import { Badge } from '@/components/ui/badge';
import { WideTable } from '@/components/ui/wide-table';

const utc = (iso: string | null) => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—');
const field =
  'rounded-md border border-slate-400 bg-white px-2 py-1 text-sm dark:border-slate-500 dark:bg-slate-900';

interface TestResult {
  channel: ChannelView;
  ok: boolean;
  attempts: number;
  error: string | null;
}

export function ChannelsAdmin({ initial }: { initial: ChannelView[] }) {
  const [channels, setChannels] = useState(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState<ChannelKind>('webhook');

  const replace = (channel: ChannelView) =>
    setChannels((list) => list.map((c) => (c.id === channel.id ? channel : c)));

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ ok: true, text: await action() });
    } catch (error) {
      setMessage({ ok: false, text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  }

  const test = (c: ChannelView) =>
    run(async () => {
      const result = await apiFetch<TestResult>(`/api/alerts/channels/${c.id}/test`, {
        method: 'POST',
        check: hasKeys('channel', 'ok'),
      });
      replace(result.channel);
      if (!result.ok)
        throw new Error(`The test to "${c.name}" failed: ${result.error ?? 'no reason given'}.`);
      return `The test reached "${c.name}" (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}).`;
    });

  const toggle = (c: ChannelView) =>
    run(async () => {
      const { channel } = await apiFetch<{ channel: ChannelView }>(`/api/alerts/channels/${c.id}`, {
        method: 'PATCH',
        body: { enabled: !c.enabled },
        check: hasKeys('channel'),
      });
      replace(channel);
      return `"${c.name}" is now ${channel.enabled ? 'on' : 'off'}.`;
    });

  const remove = (c: ChannelView) =>
    run(async () => {
      await apiFetch(`/api/alerts/channels/${c.id}`, { method: 'DELETE' });
      setChannels((list) => list.filter((x) => x.id !== c.id));
      return `"${c.name}" is removed.`;
    });

  async function add(form: HTMLFormElement) {
    const data = new FormData(form);
    const secret = String(data.get('secret') ?? '');
    await run(async () => {
      const { channel } = await apiFetch<{ channel: ChannelView }>('/api/alerts/channels', {
        method: 'POST',
        body: {
          name: String(data.get('name') ?? ''),
          kind,
          url: String(data.get('url') ?? ''),
          ...(secret && { secret }),
          minSeverity: String(data.get('minSeverity') ?? 'warning'),
        },
        check: hasKeys('channel'),
      });
      setChannels((list) => [...list, channel].sort((a, b) => a.name.localeCompare(b.name)));
      form.reset();
      return `"${channel.name}" is added; send it a test to check it reaches you.`;
    });
  }

  return (
    <div className="flex flex-col gap-3">
      {channels.length === 0 ? (
        <p data-testid="alerts-no-channels" className="text-sm">
          No channels yet: incidents are kept and shown here, but sent nowhere.
        </p>
      ) : (
        <WideTable label="Alert channels">
          <table className="w-full text-left text-sm" data-testid="alerts-channels">
            <caption className="sr-only">Alert channels</caption>
            <thead className="bg-slate-100 dark:bg-slate-900">
              <tr>
                {[
                  'Channel',
                  'Kind',
                  'Target',
                  'Sends',
                  'Last delivery',
                  'Last error',
                  'Actions',
                ].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 whitespace-nowrap">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <tr
                  key={c.id}
                  data-testid="alerts-channel"
                  className="border-t border-slate-200 align-top dark:border-slate-800"
                >
                  <td className="px-3 py-2">
                    <div className="font-medium">{c.name}</div>
                    <div className="flex gap-1">
                      <Badge tone={c.enabled ? 'ok' : 'neutral'}>{c.enabled ? 'On' : 'Off'}</Badge>
                      {c.origin === 'file' && (
                        <Badge tone="info" icon={false}>
                          from file
                        </Badge>
                      )}
                    </div>
                  </td>
                  <td className="px-3 py-2">{CHANNEL_KIND_LABELS[c.kind]}</td>
                  <td className="px-3 py-2 font-mono text-xs break-all">
                    {c.url}
                    {c.secretHint && <div>secret {c.secretHint}</div>}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{c.minSeverity} and worse</td>
                  <td className="px-3 py-2 whitespace-nowrap">{utc(c.lastDeliveryAt)}</td>
                  <td className="px-3 py-2" data-testid="alerts-channel-error">
                    {c.lastError ? (
                      <span className="text-red-800 dark:text-red-300">
                        {c.lastError} ({utc(c.lastErrorAt)})
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <div className="flex flex-wrap gap-1">
                      <button
                        type="button"
                        className={buttonClass.secondary}
                        disabled={busy}
                        onClick={() => void test(c)}
                      >
                        Send test<span className="sr-only"> to {c.name}</span>
                      </button>
                      {c.origin === 'ui' && (
                        <>
                          <button
                            type="button"
                            className={buttonClass.secondary}
                            disabled={busy}
                            onClick={() => void toggle(c)}
                          >
                            {c.enabled ? 'Turn off' : 'Turn on'}
                            <span className="sr-only"> {c.name}</span>
                          </button>
                          <button
                            type="button"
                            className={buttonClass.secondary}
                            disabled={busy}
                            onClick={() => void remove(c)}
                          >
                            Remove<span className="sr-only"> {c.name}</span>
                          </button>
                        </>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </WideTable>
      )}

      <p
        role="status"
        aria-live="polite"
        data-testid="alerts-message"
        className={
          message?.ok === false ? 'text-sm font-semibold text-red-800 dark:text-red-300' : 'text-sm'
        }
      >
        {message?.text ?? ''}
      </p>

      <form
        className="flex max-w-xl flex-col gap-2 rounded-md border border-slate-300 p-3 dark:border-slate-700"
        aria-labelledby="add-channel-heading"
        onSubmit={(event) => {
          event.preventDefault();
          void add(event.currentTarget);
        }}
      >
        <h3 id="add-channel-heading" className="font-semibold">
          Add a channel
        </h3>
        <label className="flex flex-col gap-1 text-sm">
          Name
          <input name="name" required maxLength={64} className={field} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          Kind
          <select
            name="kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as ChannelKind)}
            className={field}
          >
            {CHANNEL_KINDS.map((k) => (
              <option key={k} value={k}>
                {CHANNEL_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {kind === 'alertmanager'
            ? 'Alertmanager URL (e.g. http://alertmanager:9093)'
            : 'Webhook URL'}
          <input name="url" type="url" required className={field} autoComplete="off" />
        </label>
        {kind === 'webhook' && (
          <label className="flex flex-col gap-1 text-sm">
            Signing secret (16 characters or more; the receiver checks each message with it)
            <input
              name="secret"
              type="password"
              required
              minLength={16}
              className={field}
              autoComplete="new-password"
            />
          </label>
        )}
        <label className="flex flex-col gap-1 text-sm">
          Send incidents that are
          <select name="minSeverity" defaultValue="warning" className={field}>
            <option value="critical">critical only</option>
            <option value="warning">warning and critical</option>
            <option value="info">all, info included</option>
          </select>
        </label>
        <div>
          <button type="submit" className={buttonClass.primary} disabled={busy}>
            Add channel
          </button>
        </div>
      </form>
    </div>
  );
}

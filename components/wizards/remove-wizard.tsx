'use client';

import { useId, useState } from 'react';
import { parseRemoveParams, removeQuery, type RemoveParams } from '@/lib/domain/wizards/params';
import { planRemove } from '@/lib/domain/wizards/remove';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { GateList } from './gate-list';
import { Prose } from '@/components/ui/prose';
import { GenerateBar } from './generate-bar';
import { ImpactTable } from './impact-table';
import { CLUSTER_GATES, replicaLabel } from './replica-option';
import { StepPanel } from './step-panel';
import { Stepper } from './stepper';
import { buttonClass, fieldClass, mutedClass } from '@/components/ui/styles';
import { useQueryState } from './use-query-state';

const DESTROY_NOTE =
  '`remove` tells the cluster the replica is leaving, then deletes its containers. Do not use `destroy` instead: it deletes the containers without telling the cluster, so the dead replica keeps counting against the quorum.';

export function RemoveWizard() {
  const { status } = useClusterStatus();
  const [params, setParams] = useQueryState(parseRemoveParams, removeQuery);
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const [force, setForce] = useState(false);
  const id = useId();
  if (!status) return <p className={mutedClass}>Reading the cluster…</p>;

  const update = (change: Partial<RemoveParams>, push = false) => {
    setParams({ ...params, ...change }, { push });
    if (change.replica !== undefined || change.also !== undefined) {
      setAcknowledged([]);
      setForce(false);
    }
  };
  const replicas = status.dtr.replicas;
  const chosen = replicas.find((r) => r.id === params.replica) ?? null;
  const plan = chosen
    ? planRemove(
        status,
        {
          replicaId: chosen.id,
          alsoRemove: params.also,
          ...(params.existing !== null && { existingReplicaId: params.existing }),
          force,
          acknowledge: acknowledged,
        },
        // The server's OFFLINE_LONG_MS, so the preview gates as the server will.
        status.offlineLongMs === undefined ? {} : { offlineLongMs: status.offlineLongMs },
      )
    : null;
  const otherFailed = replicas.filter((r) => r.status !== 'healthy' && r.id !== chosen?.id);
  const existingChoices = replicas.filter(
    (r) => r.status === 'healthy' && !(plan?.replicaIds ?? [params.replica]).includes(r.id),
  );
  const suggested = plan?.suggestedExisting ?? null;
  const step = chosen ? params.step : 'choose';

  const acknowledge = (gate: string, checked: boolean) => {
    setAcknowledged((list) => (checked ? [...list, gate] : list.filter((g) => g !== gate)));
    if (gate === 'others-unhealthy') setForce(checked);
  };

  return (
    <div className="flex flex-col gap-6">
      <Stepper kind="remove" current={step} />
      {step === 'choose' ? (
        <StepPanel
          step="choose"
          title="1. Choose the replica to remove"
          description="Usually a failed replica: remove it first, then join a replacement. One change at a time."
        >
          <GateList gates={(plan?.gates ?? []).filter((g) => CLUSTER_GATES.has(g.id))} />
          <div className="flex max-w-xl flex-col gap-1">
            <label htmlFor={`${id}-replica`} className="text-sm font-medium">
              Replica to remove
            </label>
            <select
              id={`${id}-replica`}
              data-testid="remove-replica-select"
              className={fieldClass}
              value={chosen?.id ?? ''}
              onChange={(event) =>
                update({ replica: event.target.value || null, also: [], existing: null })
              }
            >
              <option value="">Choose a replica…</option>
              {replicas.map((replica) => (
                <option key={replica.id} value={replica.id}>
                  {replicaLabel(replica)}
                </option>
              ))}
            </select>
            {chosen?.error && <p className={mutedClass}>Its last error: {chosen.error}</p>}
          </div>
          {chosen && chosen.status !== 'healthy' && otherFailed.length > 0 && (
            <fieldset className="flex max-w-xl flex-col gap-1">
              <legend className="text-sm font-medium">
                Also remove in the same command (the tool refuses while another replica is
                unhealthy)
              </legend>
              {otherFailed.map((replica) => (
                <label key={replica.id} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    data-testid={`also-remove-${replica.id}`}
                    className="size-4"
                    checked={params.also.includes(replica.id)}
                    onChange={(event) =>
                      update({
                        also: event.target.checked
                          ? [...params.also, replica.id]
                          : params.also.filter((other) => other !== replica.id),
                      })
                    }
                  />
                  {replicaLabel(replica)}
                </label>
              ))}
            </fieldset>
          )}
          <div className="flex max-w-xl flex-col gap-1">
            <label htmlFor={`${id}-existing`} className="text-sm font-medium">
              Healthy replica that stays and runs the removal
            </label>
            <select
              id={`${id}-existing`}
              data-testid="existing-replica-select"
              className={fieldClass}
              value={params.existing ?? ''}
              disabled={!chosen}
              onChange={(event) => update({ existing: event.target.value || null })}
            >
              <option value="">
                {suggested ? `Suggested: ${suggested}` : 'No healthy replica is left'}
              </option>
              {existingChoices.map((replica) => (
                <option key={replica.id} value={replica.id}>
                  {replicaLabel(replica)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button
              type="button"
              data-testid="wizard-next"
              className={buttonClass.primary}
              disabled={!chosen}
              onClick={() => update({ step: 'preview' }, true)}
            >
              Check the impact <span aria-hidden="true">→</span>
            </button>
          </div>
        </StepPanel>
      ) : (
        plan &&
        chosen && (
          <StepPanel
            step="preview"
            title="2. Check the impact"
            description={
              <>
                Removing <span className="font-mono">{plan.replicaIds.join(', ')}</span> through{' '}
                <span className="font-mono">{plan.existingReplicaId ?? 'no healthy replica'}</span>.
              </>
            }
          >
            {plan.impact && <ImpactTable impact={plan.impact} />}
            <GateList
              gates={plan.gates}
              acknowledged={acknowledged}
              onAcknowledge={acknowledge}
              empty="Nothing stops this removal."
            />
            <p className={mutedClass}>
              <Prose text={DESTROY_NOTE} />
            </p>
            <GenerateBar
              blocked={!plan.ok}
              onBack={() => update({ step: 'choose' }, true)}
              request={
                plan.ok && plan.existingReplicaId
                  ? {
                      kind: 'remove',
                      replicaId: chosen.id,
                      alsoRemove: plan.replicaIds.slice(1),
                      existingReplicaId: plan.existingReplicaId,
                      force: plan.force,
                      acknowledge: acknowledged,
                    }
                  : null
              }
            />
          </StepPanel>
        )
      )}
    </div>
  );
}

'use client';

import { useId, useState } from 'react';
import { parseRepairParams, repairQuery, type RepairParams } from '@/lib/domain/wizards/params';
import { planRepair } from '@/lib/domain/wizards/repair';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { formatRelative } from '@/lib/format';
import { useNow } from '@/lib/hooks/use-now';
import { GateList } from './gate-list';
import { GenerateBar } from './generate-bar';
import { ImpactTable } from './impact-table';
import { replicaLabel } from './replica-option';
import { RestoreFromBackup } from './restore-from-backup';
import { StepPanel } from './step-panel';
import { Stepper } from './stepper';
import { buttonClass, fieldClass, mutedClass } from '@/components/ui/styles';
import { useQueryState } from './use-query-state';

export function RepairWizard() {
  const { status } = useClusterStatus();
  const [params, setParams] = useQueryState(parseRepairParams, repairQuery);
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const now = useNow(status ? Date.parse(status.generatedAt) : 0);
  const id = useId();
  if (!status) return <p className={mutedClass}>Reading the cluster…</p>;

  const update = (change: Partial<RepairParams>, push = false) => {
    setParams({ ...params, ...change }, { push });
    if (change.keep !== undefined) setAcknowledged([]);
  };
  const plan = planRepair(status, {
    ...(params.keep !== null && { keepReplicaId: params.keep }),
    prune: params.prune,
    acknowledge: acknowledged,
  });
  const answering = new Set(plan.candidates.map((c) => c.id));
  const step = plan.offered && plan.keepReplicaId !== null ? params.step : 'keep';

  if (!plan.offered) {
    return (
      <div className="flex flex-col gap-6">
        <Stepper kind="repair" current="keep" />
        <StepPanel step="keep" title="Emergency repair is not the way here">
          <GateList gates={plan.gates} />
          {plan.restoreFromBackup && <RestoreFromBackup />}
        </StepPanel>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <Stepper kind="repair" current={step} />
      {step === 'keep' ? (
        <StepPanel
          step="keep"
          title="1. Choose the replica to keep"
          description={`DTR has lost quorum: ${status.dtr.quorum.healthy} of ${status.dtr.quorum.replicas} replicas are healthy and it needs ${status.dtr.quorum.majority}. The registry is down: login, push and pull fail. Emergency repair makes one replica a cluster of its own; you then join new replicas.`}
        >
          <GateList
            gates={plan.gates.filter(
              (g) => g.id !== 'repair-consequence' && g.id !== 'keep-not-newest',
            )}
          />
          {plan.restoreFromBackup ? (
            <RestoreFromBackup />
          ) : (
            <>
              <div className="flex max-w-xl flex-col gap-1">
                <label htmlFor={`${id}-keep`} className="text-sm font-medium">
                  Replica to keep
                </label>
                <select
                  id={`${id}-keep`}
                  data-testid="repair-keep-select"
                  className={fieldClass}
                  value={plan.keepReplicaId ?? ''}
                  onChange={(event) => update({ keep: event.target.value || null })}
                >
                  {status.dtr.replicas.map((replica) => {
                    const candidate = plan.candidates.find((c) => c.id === replica.id);
                    const report = candidate?.lastReport
                      ? `, reported ${formatRelative(candidate.lastReport, now)}`
                      : '';
                    return (
                      <option
                        key={replica.id}
                        value={replica.id}
                        disabled={!answering.has(replica.id)}
                      >
                        {replica.id === plan.suggestedKeep ? '★ ' : ''}
                        {replicaLabel(replica)}
                        {candidate?.stopped
                          ? ` (containers stopped on a ready node: repair redeploys them)${report}`
                          : answering.has(replica.id)
                            ? report
                            : ' (its node is down)'}
                      </option>
                    );
                  })}
                </select>
                <p className={mutedClass} data-testid="repair-suggestion">
                  {plan.suggestedKeep
                    ? `★ Suggested: ${plan.suggestedKeep}, the replica that reported last among those that still answer. `
                    : ''}
                  The kept replica’s data becomes the registry’s: the one that reported last loses
                  the least.
                </p>
              </div>
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  data-testid="repair-prune"
                  className="mt-0.5 size-4"
                  checked={params.prune}
                  onChange={(event) => update({ prune: event.target.checked })}
                />
                <span>
                  Add --prune: also delete the data volumes of the replicas that leave (only if the
                  vendor’s support asks for it)
                </span>
              </label>
              <div>
                <button
                  type="button"
                  data-testid="wizard-next"
                  className={buttonClass.primary}
                  disabled={plan.keepReplicaId === null || !answering.has(plan.keepReplicaId)}
                  onClick={() => update({ keep: plan.keepReplicaId, step: 'preview' }, true)}
                >
                  Confirm the consequence <span aria-hidden="true">→</span>
                </button>
              </div>
            </>
          )}
        </StepPanel>
      ) : (
        <StepPanel
          step="preview"
          title="2. Confirm the consequence"
          description={
            <>
              Keeping <span className="font-mono">{plan.keepReplicaId}</span>.
            </>
          }
        >
          <ImpactTable impact={plan.impact} />
          <GateList
            gates={plan.gates}
            acknowledged={acknowledged}
            onAcknowledge={(gate, checked) =>
              setAcknowledged((list) =>
                checked ? [...list, gate] : list.filter((g) => g !== gate),
              )
            }
          />
          <GenerateBar
            blocked={!plan.ok}
            onBack={() => update({ step: 'keep' }, true)}
            request={
              plan.ok && plan.keepReplicaId
                ? {
                    kind: 'repair',
                    keepReplicaId: plan.keepReplicaId,
                    prune: params.prune,
                    acknowledge: acknowledged,
                  }
                : null
            }
          />
        </StepPanel>
      )}
    </div>
  );
}

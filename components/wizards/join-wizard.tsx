'use client';

import { useState } from 'react';
import {
  caSourceOf,
  eligibleJoinTargets,
  joinQuery,
  parseJoinParams,
  planJoin,
  type JoinInput,
  type JoinParams,
} from '@/lib/domain/wizards';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { GateList } from './gate-list';
import { GenerateBar } from './generate-bar';
import { ImpactTable } from './impact-table';
import { JoinNodeStep } from './join-node-step';
import { JoinOptionsStep } from './join-options-step';
import { CLUSTER_GATES } from './replica-option';
import { StepPanel } from './step-panel';
import { Stepper } from './stepper';
import { muted, primaryButton, secondaryButton } from './styles';
import { useQueryState } from './use-query-state';

function inputOf(params: JoinParams & { node: string }): Omit<JoinInput, 'acknowledge'> {
  const ca = caSourceOf(params);
  return {
    node: params.node,
    ...(params.existing !== null && { existingReplicaId: params.existing }),
    ...(params.replicaId !== null && { replicaId: params.replicaId }),
    ...(params.httpPort !== null && { httpPort: params.httpPort }),
    ...(params.httpsPort !== null && { httpsPort: params.httpsPort }),
    ...(ca !== null && { ca }),
  };
}

export function JoinWizard() {
  const { status } = useClusterStatus();
  const [params, setParams] = useQueryState(parseJoinParams, joinQuery);
  const [optionsValid, setOptionsValid] = useState(true);
  if (!status) return <p className={muted}>Reading the cluster…</p>;

  const update = (change: Partial<JoinParams>, push = false) =>
    setParams({ ...params, ...change }, { push });
  const targets = eligibleJoinTargets(status);
  const node = params.node;
  const plan = planJoin(status, node === null ? { node: '' } : inputOf({ ...params, node }));
  const clusterGates = plan.gates.filter((g) => CLUSTER_GATES.has(g.id));
  const healthy = status.dtr.replicas.filter((r) => r.status === 'healthy');
  const nodeUsable = targets.some((t) => t.hostname === node && t.eligible);
  const step = node === null ? 'node' : params.step;
  const caReady = caSourceOf(params) !== null;

  return (
    <div className="flex flex-col gap-6">
      <Stepper kind="join" current={step} />
      {step === 'node' && (
        <StepPanel
          step="node"
          title="1. Pick a node"
          description="DTR replicas run on dedicated UCP workers: ready, active, Linux, without a replica or a DTR cache."
        >
          <GateList gates={clusterGates} />
          <JoinNodeStep
            targets={targets}
            node={node}
            onNode={(hostname) => update({ node: hostname })}
          />
          <div>
            <button
              type="button"
              data-testid="wizard-next"
              className={primaryButton}
              disabled={!nodeUsable}
              onClick={() => update({ step: 'options' }, true)}
            >
              Options <span aria-hidden="true">→</span>
            </button>
          </div>
        </StepPanel>
      )}
      {step === 'options' && (
        <StepPanel
          step="options"
          title="2. Options"
          description={
            <>
              For the new replica on <span className="font-mono">{node}</span>. The defaults suit
              most clusters.
            </>
          }
        >
          <JoinOptionsStep
            params={params}
            healthy={healthy}
            suggested={plan.suggestedExisting}
            onChange={(change) => update(change)}
            onValidity={setOptionsValid}
          />
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              data-testid="wizard-back"
              className={secondaryButton}
              onClick={() => update({ step: 'node' }, true)}
            >
              <span aria-hidden="true">←</span> Back
            </button>
            <button
              type="button"
              data-testid="wizard-next"
              className={primaryButton}
              disabled={!optionsValid || !caReady}
              onClick={() => update({ step: 'preview' }, true)}
            >
              Check the impact <span aria-hidden="true">→</span>
            </button>
          </div>
        </StepPanel>
      )}
      {step === 'preview' && node !== null && (
        <StepPanel
          step="preview"
          title="3. Check the impact"
          description={
            <>
              Joining a replica on <span className="font-mono">{node}</span> through{' '}
              <span className="font-mono">{plan.existingReplicaId ?? 'no healthy replica'}</span>.
            </>
          }
        >
          <ImpactTable impact={plan.impact} />
          <GateList gates={plan.gates} empty="Nothing stops this join." />
          <p className={muted}>
            A join copies every DTR table to the new replica: it can take a few minutes on a large
            registry. Never add --unsafe-join: it joins into an unhealthy cluster and can split it.
          </p>
          <GenerateBar
            blocked={!plan.ok}
            onBack={() => update({ step: 'options' }, true)}
            request={
              plan.ok && plan.existingReplicaId
                ? {
                    kind: 'join',
                    ...inputOf({ ...params, node }),
                    existingReplicaId: plan.existingReplicaId,
                  }
                : null
            }
          />
        </StepPanel>
      )}
    </div>
  );
}

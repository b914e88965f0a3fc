'use client';

import { useCallback, useState } from 'react';
import {
  caSourceOf,
  joinQuery,
  parseJoinParams,
  type JoinParams,
} from '@/lib/domain/wizards/params';
import { eligibleJoinTargets } from '@/lib/domain/wizards/join-targets';
import { planJoin, type JoinInput } from '@/lib/domain/wizards/join';
import { TOOL_HTTP_PORT, TOOL_HTTPS_PORT } from '@/lib/domain/wizards/join-options';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useWithInventory } from '@/components/nodes/use-with-inventory';
import { zoneLabelOf } from '@/components/nodes/zone-label';
import { GateList } from './gate-list';
import { GenerateBar } from './generate-bar';
import { ImpactTable } from './impact-table';
import { JoinNodeStep } from './join-node-step';
import { JoinOptionsStep } from './join-options-step';
import { CLUSTER_GATES } from './replica-option';
import { StepPanel } from './step-panel';
import { Stepper } from './stepper';
import { buttonClass, mutedClass } from '@/components/ui/styles';
import { useQueryState } from './use-query-state';

/** Gates about the chosen node, shown (and acknowledged) as soon as it is picked. */
const NODE_GATES: ReadonlySet<string> = new Set([
  'application-worker',
  'zone-concentration',
  'node-resources',
]);

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
  // Candidates are ready, active workers hosting nothing: the served status counts those, so
  // they come from GET /api/nodes.
  const status = useWithInventory(
    useClusterStatus().status,
    'role=worker&state=ready&availability=active&hosts=none',
  );
  const [params, setParams] = useQueryState(parseJoinParams, joinQuery);
  const [optionsValid, setOptionsValid] = useState(true);
  // Not in the URL: a shared link must not carry someone else's acknowledgement.
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const onValidity = useCallback((valid: boolean) => setOptionsValid(valid), []);
  if (!status) return <p className={mutedClass}>Reading the cluster…</p>;

  const update = (change: Partial<JoinParams>, push = false) => {
    setParams({ ...params, ...change }, { push });
    // Accepting one application worker says nothing about another.
    if (change.node !== undefined && change.node !== params.node)
      setAcknowledged((list) => list.filter((g) => g !== 'application-worker'));
  };
  const acknowledge = (gate: string, checked: boolean) =>
    setAcknowledged((list) => (checked ? [...list, gate] : list.filter((g) => g !== gate)));
  const options = { zoneLabel: zoneLabelOf(status) };
  const targets = eligibleJoinTargets(status, options);
  const node = params.node;
  const plan = planJoin(
    status,
    node === null ? { node: '' } : { ...inputOf({ ...params, node }), acknowledge: acknowledged },
    options,
  );
  const clusterGates = plan.gates.filter((g) => CLUSTER_GATES.has(g.id));
  const nodeGates = node === null ? [] : plan.gates.filter((g) => NODE_GATES.has(g.id));
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
          description="DTR replicas run on dedicated UCP workers: ready, active, Linux, without a replica or a DTR cache. Dedicated DTR nodes are listed first; an application worker takes one only once you accept the risk."
        >
          <GateList gates={clusterGates} />
          <JoinNodeStep
            targets={targets}
            node={node}
            onNode={(hostname) => update({ node: hostname })}
          />
          <GateList gates={nodeGates} acknowledged={acknowledged} onAcknowledge={acknowledge} />
          <div>
            <button
              type="button"
              data-testid="wizard-next"
              className={buttonClass.primary}
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
            portDefaults={plan.portDefaults}
            onChange={(change) => update(change)}
            onValidity={onValidity}
          />
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              data-testid="wizard-back"
              className={buttonClass.secondary}
              onClick={() => update({ step: 'node' }, true)}
            >
              <span aria-hidden="true">←</span> Back
            </button>
            <button
              type="button"
              data-testid="wizard-next"
              className={buttonClass.primary}
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
              <span className="font-mono">{plan.existingReplicaId ?? 'no healthy replica'}</span>,
              answering on HTTP{' '}
              <span className="font-mono">{plan.ports.httpPort ?? TOOL_HTTP_PORT}</span> and HTTPS{' '}
              <span className="font-mono">{plan.ports.httpsPort ?? TOOL_HTTPS_PORT}</span>.
            </>
          }
        >
          <ImpactTable impact={plan.impact} />
          <GateList
            gates={plan.gates}
            acknowledged={acknowledged}
            onAcknowledge={acknowledge}
            empty="Nothing stops this join."
          />
          <p className={mutedClass}>
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

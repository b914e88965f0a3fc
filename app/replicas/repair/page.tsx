import type { Metadata } from 'next';
import { RepairWizard } from '@/components/wizards/repair-wizard';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getServedStatus } from '@/lib/server/services/status';
import { WizardPage } from '../_components/wizard-page';

export const metadata: Metadata = { title: 'DTR emergency repair' };

export default async function RepairPage() {
  const status = await getServedStatus(await pageRuntime());
  return (
    <WizardPage
      title="Emergency repair"
      status={status}
      intro="Only for a DTR cluster that has lost quorum: it turns one replica into a single-replica cluster so the registry works again, then you join new replicas."
    >
      <RepairWizard />
    </WizardPage>
  );
}

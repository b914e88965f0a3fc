import type { Metadata } from 'next';
import { JoinWizard } from '@/components/wizards/join-wizard';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getServedStatus } from '@/lib/server/services/status';
import { WizardPage } from '../_components/wizard-page';

export const metadata: Metadata = { title: 'Join a DTR replica' };

export default async function JoinReplicaPage() {
  const status = await getServedStatus(await pageRuntime());
  return (
    <WizardPage
      title="Join a DTR replica"
      status={status}
      intro="Add a replica on a UCP worker. Join only into a healthy cluster: remove failed replicas first, and change one member at a time."
    >
      <JoinWizard />
    </WizardPage>
  );
}

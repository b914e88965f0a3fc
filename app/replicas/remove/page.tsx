import type { Metadata } from 'next';
import { RemoveWizard } from '@/components/wizards/remove-wizard';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getServedStatus } from '@/lib/server/services/status';
import { WizardPage } from '../_components/wizard-page';

export const metadata: Metadata = { title: 'Remove a DTR replica' };

export default async function RemoveReplicaPage() {
  const status = await getServedStatus(await pageRuntime());
  return (
    <WizardPage
      title="Remove a DTR replica"
      status={status}
      intro="Take a replica out of the cluster gracefully with the bootstrapper’s remove. A failed replica that is not removed keeps counting as a member and silently eats failure tolerance."
    >
      <RemoveWizard />
    </WizardPage>
  );
}

/** Activity: the call log and the audit log, filtered and paged. */
import { useEffect } from 'react';
import { PageHeader } from '../../components/layout/app-shell';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '../../components/ui/tabs';
import { useStores } from '../../stores/context';
import { AuditLog } from './audit-log';
import { CallLog } from './call-log';

export default function ActivityPage() {
  const stores = useStores();
  useEffect(() => {
    void stores.activity.getState().loadCalls();
  }, [stores]);
  return (
    <>
      <PageHeader title="Activity" description="Every proxied call, and every change made through the API with who made it." />
      <Tabs
        defaultValue="calls"
        onValueChange={(tab) =>
          tab === 'audit' && stores.activity.getState().audit.status === 'idle' && void stores.activity.getState().loadAudit()
        }
      >
        <TabsList aria-label="Log">
          <TabsTrigger value="calls">Calls</TabsTrigger>
          <TabsTrigger value="audit">Audit</TabsTrigger>
        </TabsList>
        <TabsContent value="calls">
          <CallLog />
        </TabsContent>
        <TabsContent value="audit">
          <AuditLog />
        </TabsContent>
      </Tabs>
    </>
  );
}

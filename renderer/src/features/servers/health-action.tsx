/** A server's health (the same object the tray shows) and the button for its one next action. */
import { serverHealth, type Health } from '@shared/health';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { Button } from '../../components/ui/button';
import { useDomain, useStores } from '../../stores/context';
import type { ServerSummary } from '../../stores/types';
import { SignInAction } from './sign-in';

export function useHealth(server: ServerSummary): Health {
  const issues = useDomain('servers', (state) => state.configIssues);
  return serverHealth({
    name: server.name,
    state: server.state,
    restarts: server.restarts,
    lastError: server.lastError,
    retryInMs: server.retryInMs,
    signIn: server.signIn,
    configIssues: issues,
  });
}

export function HealthActionButton({ server, health }: { server: ServerSummary; health: Health }) {
  const stores = useStores();
  const navigate = useNavigate();
  const pending = useDomain('servers', (state) => state.pending[server.name]);
  const action = health.action;
  if (!action) return null;
  if (action.kind === 'signIn') return <SignInAction server={server} label={action.label} />;
  const run = async () => {
    switch (action.kind) {
      case 'start':
      case 'enable':
      case 'restart':
        try {
          await stores.servers.getState().act(server.name, action.kind);
        } catch (error) {
          toast.error((error as Error).message);
        }
        return;
      case 'viewLogs':
        await navigate(`/servers/${encodeURIComponent(server.name)}#logs`);
        return;
      case 'fixConfig':
      case 'setVariable':
        await navigate(`/config?server=${encodeURIComponent(server.name)}`);
        return;
    }
  };
  return (
    <Button size="sm" disabled={pending !== undefined} onClick={() => void run()} aria-label={`${action.label}: ${server.name}`}>
      {action.label}
    </Button>
  );
}

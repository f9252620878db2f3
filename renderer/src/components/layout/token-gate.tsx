/**
 * Without a token the page can do nothing: it asks for one (the daemon prints a dashboard URL that
 * carries its session token). A token the daemon refuses brings the same form back, with why.
 */
import { KeyRound } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { keepToken } from '../../api/token';
import { useDomain, useStores } from '../../stores/context';
import { Button } from '../ui/button';
import { Input, Label } from '../ui/input';

export function TokenGate({ hasToken, onToken, children }: { hasToken: boolean; onToken: (token: string) => void; children: ReactNode }) {
  const refused = useDomain('connection', (state) => state.unauthorized);
  const stores = useStores();
  const clear = () => stores.connection.getState().clearUnauthorized();
  const [value, setValue] = useState('');
  if (hasToken && refused === undefined) return <>{children}</>;
  return (
    <main className="mx-auto mt-24 max-w-md rounded-lg border border-line bg-raised p-6">
      <h1 className="flex items-center gap-2 text-lg font-semibold">
        <KeyRound aria-hidden className="h-5 w-5" /> MCP Orch needs a token
      </h1>
      <p className="mt-2 text-sm text-muted">
        Open the dashboard with the URL <code>mcp-orch serve</code> prints (it carries the daemon&apos;s session token), or paste an API key
        (<code>mcp-orch token create --name me --role admin</code>).
      </p>
      {refused ? (
        <p role="alert" className="mt-3 text-sm text-bad">
          {refused}
        </p>
      ) : null}
      <form
        className="mt-4 flex flex-col gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const token = value.trim();
          if (!token) return;
          keepToken(window.sessionStorage, token);
          clear();
          onToken(token);
          window.location.reload();
        }}
      >
        <Label htmlFor="token">Token</Label>
        <Input id="token" type="password" autoComplete="off" value={value} onChange={(event) => setValue(event.target.value)} />
        <Button type="submit" variant="primary">
          Continue
        </Button>
      </form>
    </main>
  );
}

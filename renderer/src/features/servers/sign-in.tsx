/**
 * Signing in to a remote server (OAuth) from the dashboard: the Sign in button that asks the daemon
 * to open the browser, the link to open by hand when none opened, the wait while the browser signs
 * in, and the detail's "Signed in" section with Sign out (confirmed: the server then needs a sign-in again).
 */
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { Dialog } from '../../components/ui/dialog';
import { formatTime } from '../../lib/format';
import { useDomain, useStores } from '../../stores/context';
import type { ServerSummary } from '../../stores/types';

/** The Sign in button, then the link and the wait (the server's state events end it). */
export function SignInAction({ server, label }: { server: ServerSummary; label: string }) {
  const stores = useStores();
  const link = useDomain('servers', (state) => state.signInLinks[server.name]);
  const [asking, setAsking] = useState(false);
  const [failure, setFailure] = useState<string>();
  const start = async () => {
    setAsking(true);
    setFailure(undefined);
    try {
      const result = await stores.servers.getState().signIn(server.name);
      if (result.status === 'signed-in') toast.success(`${server.name}: signed in`);
    } catch (error) {
      setFailure((error as Error).message);
    } finally {
      setAsking(false);
    }
  };
  return (
    <div className="flex flex-col gap-1.5">
      <div>
        <Button size="sm" disabled={asking} onClick={() => void start()} aria-label={`${label}: ${server.name}`}>
          {label}
        </Button>
      </div>
      {link ? (
        <p className="text-xs text-muted" data-testid={`sign-in-link-${server.name}`}>
          {link.opened ? 'A browser window opened to sign in. If none did, open ' : 'Open '}
          <a className="break-all text-accent underline" href={link.authorizationUrl} target="_blank" rel="noopener noreferrer">
            this link
          </a>
          .
        </p>
      ) : null}
      {server.signIn?.pending ? (
        <p role="status" className="text-xs text-muted">
          Waiting for the sign-in…
        </p>
      ) : null}
      {failure ? (
        <p role="alert" className="text-xs text-bad">
          Could not start the sign-in: {failure}
        </p>
      ) : null}
    </div>
  );
}

/** A remote server's sign-in in its detail: signed in or not, the scope and expiry, and Sign out. */
export function SignInSection({ server }: { server: ServerSummary }) {
  const stores = useStores();
  const pending = useDomain('servers', (state) => state.pending[server.name]);
  const [confirming, setConfirming] = useState(false);
  const signIn = server.signIn;
  if (!signIn) return null;
  const signOut = () => {
    setConfirming(false);
    void stores.servers
      .getState()
      .act(server.name, 'signOut')
      .then(
        () => toast.success(`${server.name}: signed out`),
        (error: Error) => toast.error(error.message),
      );
  };
  return (
    <Card role="region" aria-label={`Sign-in of ${server.name}`}>
      <CardTitle>Sign-in</CardTitle>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-xs">
          <dt className="text-muted">Status</dt>
          <dd className="font-medium">{signIn.signedIn ? 'Signed in' : 'Not signed in'}</dd>
          {signIn.signedIn ? (
            <>
              <dt className="text-muted">Scope</dt>
              <dd className="font-mono">{signIn.scope ?? '–'}</dd>
              <dt className="text-muted">Token expires</dt>
              <dd>{signIn.expiresAt ? `${formatTime(signIn.expiresAt)} (renewed on its own)` : '–'}</dd>
            </>
          ) : null}
        </dl>
        {signIn.signedIn ? (
          <Button size="sm" variant="danger" disabled={pending !== undefined} onClick={() => setConfirming(true)}>
            Sign out
          </Button>
        ) : null}
      </div>
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Sign out of “${server.name}”?`}
        description="MCP Orch forgets its tokens for this server. Its tools stop working until someone signs in again."
        footer={
          <>
            <Button onClick={() => setConfirming(false)}>Stay signed in</Button>
            <Button variant="danger" onClick={signOut}>
              Sign out
            </Button>
          </>
        }
      />
    </Card>
  );
}

import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { Card, CardTitle } from '../../components/ui/card';
import { CopyButton } from '../../components/ui/copy-button';
import { Dialog } from '../../components/ui/dialog';
import { Input, Label, Select } from '../../components/ui/input';
import { Empty, ErrorState, Loading } from '../../components/ui/states';
import { Table, Td, Th } from '../../components/ui/table';
import { formatTime } from '../../lib/format';
import { useDomain, useStores } from '../../stores/context';
import type { KeyInfo } from '../../stores/types';

const EXPIRY = [
  { label: 'Never', ms: 0 },
  { label: '1 day', ms: 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
  { label: '90 days', ms: 90 * 86_400_000 },
];

function statusOf(key: KeyInfo): { label: string; tone: 'ok' | 'warn' | 'muted' } {
  if (key.revokedAt !== undefined) return { label: 'revoked', tone: 'muted' };
  if (key.expiresAt !== undefined && key.expiresAt <= Date.now()) return { label: 'expired', tone: 'muted' };
  if (key.replacedBy !== undefined)
    return {
      label: key.graceUntil && key.graceUntil > Date.now() ? `rotating until ${formatTime(key.graceUntil)}` : 'rotated',
      tone: 'warn',
    };
  return { label: 'active', tone: 'ok' };
}

export function KeysSection() {
  const stores = useStores();
  const status = useDomain('keys', (state) => state.status);
  const error = useDomain('keys', (state) => state.error);
  const keys = useDomain('keys', (state) => state.keys);
  const showAll = useDomain('keys', (state) => state.showAll);
  const [name, setName] = useState('');
  const [role, setRole] = useState<'admin' | 'operator' | 'viewer'>('operator');
  const [expires, setExpires] = useState(0);
  const [allow, setAllow] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string }>();
  const [revoking, setRevoking] = useState<KeyInfo>();
  useEffect(() => {
    void stores.keys.getState().load();
  }, [stores]);
  const actions = stores.keys.getState();
  const patterns = (text: string) => text.split(/[\s,]+/).filter(Boolean);
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading" className="mb-2 text-base font-semibold">
        API keys
      </h2>
      <Card className="mb-4">
        <CardTitle>New key</CardTitle>
        <form
          className="mt-2 flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            actions
              .create({ name: name.trim(), role, ...(expires ? { expiresInMs: expires } : {}), allow: patterns(allow), deny: [] })
              .then((created) => {
                setSecret({ name: created.key.name, secret: created.secret });
                setName('');
                setAllow('');
              })
              .catch((failure: Error) => toast.error(failure.message));
          }}
        >
          <div className="flex flex-col gap-1">
            <Label htmlFor="key-name">Name (who it is for)</Label>
            <Input id="key-name" required value={name} onChange={(event) => setName(event.target.value)} placeholder="cline" />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="key-role">Role</Label>
            <Select id="key-role" value={role} onChange={(event) => setRole(event.target.value as typeof role)}>
              <option value="viewer">viewer: reads only</option>
              <option value="operator">operator: runs tools</option>
              <option value="admin">admin: everything</option>
            </Select>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="key-expires">Expires</Label>
            <Select id="key-expires" value={String(expires)} onChange={(event) => setExpires(Number(event.target.value))}>
              {EXPIRY.map((option) => (
                <option key={option.ms} value={option.ms}>
                  {option.label}
                </option>
              ))}
            </Select>
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor="key-allow">Only these tools (optional)</Label>
            <Input id="key-allow" value={allow} onChange={(event) => setAllow(event.target.value)} placeholder="github__*, example__echo" />
          </div>
          <Button type="submit" variant="primary" disabled={!name.trim()}>
            Create key
          </Button>
        </form>
      </Card>
      <label className="mb-2 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={showAll} onChange={(event) => void actions.load(event.target.checked)} /> Show revoked, expired and
        rotated keys
      </label>
      {status === 'loading' || status === 'idle' ? <Loading /> : null}
      {status === 'error' ? <ErrorState message={error ?? 'failed'} onRetry={() => void actions.load()} /> : null}
      {status === 'ready' && keys.length === 0 ? (
        <Empty title="No keys yet">Create one for each client; the dashboard itself uses the daemon&apos;s session token.</Empty>
      ) : null}
      {keys.length > 0 ? (
        <Table aria-label="API keys">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Key</Th>
              <Th>Role</Th>
              <Th>Status</Th>
              <Th>Tools</Th>
              <Th>Uses</Th>
              <Th>Last used</Th>
              <Th>Actions</Th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => {
              const state = statusOf(key);
              const live = state.tone === 'ok';
              return (
                <tr key={key.id}>
                  <Td className="font-medium">{key.name}</Td>
                  <Td className="font-mono text-xs">{key.prefix}…</Td>
                  <Td>{key.role}</Td>
                  <Td>
                    <Badge tone={state.tone}>{state.label}</Badge>
                  </Td>
                  <Td className="text-xs">{[...key.allow.map((p) => `+${p}`), ...key.deny.map((p) => `-${p}`)].join(' ') || 'all'}</Td>
                  <Td className="tabular-nums">{key.usageCount}</Td>
                  <Td className="text-xs">{formatTime(key.lastUsedAt)}</Td>
                  <Td className="whitespace-nowrap">
                    <Button
                      size="sm"
                      disabled={!live}
                      aria-label={`Rotate ${key.name}`}
                      onClick={() =>
                        void actions
                          .rotate(key.id)
                          .then((rotated) => setSecret({ name: rotated.key.name, secret: rotated.secret }))
                          .catch((failure: Error) => toast.error(failure.message))
                      }
                    >
                      Rotate
                    </Button>{' '}
                    <Button
                      size="sm"
                      variant="danger"
                      disabled={key.revokedAt !== undefined}
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => setRevoking(key)}
                    >
                      Revoke
                    </Button>
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      ) : null}
      <Dialog
        open={secret !== undefined}
        onOpenChange={(open) => !open && setSecret(undefined)}
        title={`The key “${secret?.name ?? ''}”`}
        description="This is the only time it is shown: MCP Orch keeps only a hash. Put it in the client's configuration now."
        footer={
          <Button variant="primary" onClick={() => setSecret(undefined)}>
            Done
          </Button>
        }
      >
        <div className="flex items-center gap-2">
          <code className="min-w-0 flex-1 break-all rounded bg-panel p-2 font-mono text-xs" data-testid="new-secret">
            {secret?.secret}
          </code>
          {secret ? <CopyButton text={secret.secret} /> : null}
        </div>
      </Dialog>
      <Dialog
        open={revoking !== undefined}
        onOpenChange={(open) => !open && setRevoking(undefined)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Clients using it are refused from the next request on, and their open sessions are closed."
        footer={
          <>
            <Button onClick={() => setRevoking(undefined)}>Keep it</Button>
            <Button
              variant="danger"
              onClick={() => {
                const key = revoking;
                setRevoking(undefined);
                if (key)
                  void actions.revoke(key.id).then(
                    () => toast.success(`${key.name} revoked`),
                    (failure: Error) => toast.error(failure.message),
                  );
              }}
            >
              Revoke
            </Button>
          </>
        }
      />
    </section>
  );
}

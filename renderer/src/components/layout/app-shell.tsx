/** The frame: a skip link, the navigation, the "daemon went away" banner, and the page. */
import { Activity, Boxes, FileCog, Gauge, Import, KeyRound, Loader2, PlayCircle, PlugZap, Server, WifiOff, Wrench } from 'lucide-react';
import { useEffect, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { cn } from '../../lib/cn';
import { isLost, isStarting } from '../../stores/connection.store';
import { useDomain, useStores } from '../../stores/context';

const NAV = [
  { to: '/', label: 'Overview', icon: Gauge },
  { to: '/servers', label: 'Servers', icon: Server },
  { to: '/tools', label: 'Tools', icon: Wrench },
  { to: '/runs', label: 'Runs', icon: PlayCircle },
  { to: '/activity', label: 'Activity', icon: Activity },
  { to: '/config', label: 'Config', icon: FileCog },
  { to: '/import', label: 'Import', icon: Import },
  { to: '/clients', label: 'Clients', icon: PlugZap },
  { to: '/settings', label: 'Keys & settings', icon: KeyRound },
] as const;

export function ConnectionBanner() {
  const lost = useDomain('connection', isLost);
  // The desktop app's core is still starting (the login shell is read first): the page waits for it.
  const starting = useDomain('connection', isStarting);
  if (starting) {
    return (
      <div role="status" className="flex items-center gap-2 border-b border-line bg-raised px-4 py-2 text-sm">
        <Loader2 aria-hidden className="h-4 w-4 animate-spin text-accent" />
        <span>
          <strong>MCP Orch is starting.</strong> Your servers appear here as soon as it runs.
        </span>
      </div>
    );
  }
  if (!lost) return null;
  return (
    <div role="alert" className="flex items-center gap-2 border-b border-bad/50 bg-bad/10 px-4 py-2 text-sm">
      <WifiOff aria-hidden className="h-4 w-4 text-bad" />
      <span>
        <strong>The MCP Orch daemon is not answering.</strong> Reconnecting… Figures shown may be out of date.
      </span>
    </div>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const stores = useStores();
  useEffect(() => {
    if (stores.servers.getState().status === 'idle') void stores.servers.getState().load();
  }, [stores]);
  return (
    <div className="flex h-full">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-raised focus:p-2"
      >
        Skip to content
      </a>
      <nav aria-label="Main" className="flex w-52 shrink-0 flex-col gap-0.5 border-r border-line bg-panel p-3">
        <div className="mb-4 flex items-center gap-2 px-2 text-base font-semibold">
          <Boxes aria-hidden className="h-5 w-5 text-accent" /> MCP Orch
        </div>
        {NAV.map(({ to, label, icon: Icon }) => (
          <NavLink
            key={to}
            to={to}
            end={to === '/'}
            className={({ isActive }) =>
              cn(
                'flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-muted hover:bg-raised hover:text-fg',
                isActive && 'bg-raised font-medium text-fg shadow-sm',
              )
            }
          >
            <Icon aria-hidden className="h-4 w-4" />
            {label}
          </NavLink>
        ))}
      </nav>
      <div className="flex min-w-0 flex-1 flex-col">
        <ConnectionBanner />
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 overflow-auto p-6">
          {children}
        </main>
      </div>
    </div>
  );
}

/** The heading of a page and its actions. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="mb-5 flex flex-wrap items-start justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold">{title}</h1>
        {description ? <p className="mt-1 text-sm text-muted">{description}</p> : null}
      </div>
      {actions ? <div className="flex items-center gap-2">{actions}</div> : null}
    </header>
  );
}

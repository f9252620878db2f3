import { AlertTriangle, Inbox, Loader2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '../../lib/cn';
import { Button } from './button';

/** The three states every list and page has besides its content. */
export function Loading({ label = 'Loading…', className }: { label?: string; className?: string }) {
  return (
    <div role="status" className={cn('flex items-center gap-2 p-6 text-sm text-muted', className)}>
      <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> {label}
    </div>
  );
}

export function Empty({ title, children, className }: { title: string; children?: ReactNode; className?: string }) {
  return (
    <div className={cn('flex flex-col items-center gap-2 rounded-lg border border-dashed border-line p-8 text-center', className)}>
      <Inbox aria-hidden className="h-6 w-6 text-muted" />
      <p className="font-medium">{title}</p>
      {children ? <div className="text-sm text-muted">{children}</div> : null}
    </div>
  );
}

export function ErrorState({ message, onRetry, className }: { message: string; onRetry?: () => void; className?: string }) {
  return (
    <div role="alert" className={cn('flex items-start gap-2 rounded-lg border border-bad/50 p-4 text-sm', className)}>
      <AlertTriangle aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-bad" />
      <div className="flex-1">
        <p className="break-words">{message}</p>
        {onRetry ? (
          <Button size="sm" className="mt-2" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </div>
    </div>
  );
}

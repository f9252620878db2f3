import type { HTMLAttributes } from 'react';
import { cn } from '../../lib/cn';

export type Tone = 'ok' | 'warn' | 'bad' | 'busy' | 'muted';

const TONES: Record<Tone, string> = {
  ok: 'border-ok/40 text-ok',
  warn: 'border-warn/50 text-warn',
  bad: 'border-bad/50 text-bad',
  busy: 'border-busy/40 text-busy',
  muted: 'border-line text-muted',
};

export function Badge({ tone = 'muted', className, ...props }: HTMLAttributes<HTMLSpanElement> & { tone?: Tone }) {
  return (
    <span
      className={cn(
        'inline-flex items-center gap-1 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium',
        TONES[tone],
        className,
      )}
      {...props}
    />
  );
}

import type { Health, HealthLevel } from '@shared/health';
import { Badge, type Tone } from './badge';

const TONE: Record<HealthLevel, Tone> = { ok: 'ok', busy: 'busy', warn: 'warn', error: 'bad', off: 'muted' };
const WORD: Record<HealthLevel, string> = { ok: 'Healthy', busy: 'Starting', warn: 'Needs a look', error: 'Not working', off: 'Off' };

export function HealthBadge({ level }: { level: HealthLevel }) {
  return (
    <Badge tone={TONE[level]}>
      <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-current" />
      {WORD[level]}
    </Badge>
  );
}

export function StateBadge({ state }: { state: string }) {
  const tone: Tone =
    state === 'running'
      ? 'ok'
      : state === 'failed'
        ? 'bad'
        : state === 'crashed' || state === 'backoff' || state === 'needs-sign-in'
          ? 'warn'
          : state === 'starting'
            ? 'busy'
            : 'muted';
  return <Badge tone={tone}>{stateWord(state)}</Badge>;
}

/** A server's state as a word (the badge's text). */
export function stateWord(state: string): string {
  return state === 'needs-sign-in' ? 'needs sign-in' : state;
}

export type { Health };

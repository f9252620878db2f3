import { cn } from '../../lib/cn';

/** A unified diff, lines coloured by kind. */
export function DiffView({ diff, className, label = 'Changes' }: { diff: string; className?: string; label?: string }) {
  const lines = diff.split('\n').filter((line) => !line.startsWith('===') && !line.startsWith('Index:'));
  const changed = lines.some(
    (line) => (line.startsWith('+') || line.startsWith('-')) && !line.startsWith('+++') && !line.startsWith('---'),
  );
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className={cn('max-h-96 overflow-auto rounded-md border border-line bg-panel p-2 font-mono text-xs', className)}
    >
      {changed ? (
        lines.map((line, index) => (
          <div
            key={index}
            className={cn(
              line.startsWith('+') && !line.startsWith('+++') && 'bg-ok/15 text-ok',
              line.startsWith('-') && !line.startsWith('---') && 'bg-bad/15 text-bad',
              line.startsWith('@@') && 'text-muted',
            )}
          >
            {line || ' '}
          </div>
        ))
      ) : (
        <span className="text-muted">No changes.</span>
      )}
    </pre>
  );
}

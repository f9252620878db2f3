import { Label, Select } from '../../components/ui/input';

export const RANGES = [
  { label: 'Any time', ms: 0 },
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 60 * 60_000 },
  { label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
];

export function TimeFilter({ id, value, onChange }: { id: string; value: number | undefined; onChange: (ms: number | undefined) => void }) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={id}>Time</Label>
      <Select id={id} value={String(value ?? 0)} onChange={(event) => onChange(Number(event.target.value) || undefined)}>
        {RANGES.map((range) => (
          <option key={range.ms} value={range.ms}>
            {range.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

/** "Newer" and "Older" through the pages, and where we are. */
export function Pager({
  page,
  hasOlder,
  onNewer,
  onOlder,
  label,
}: {
  page: number;
  hasOlder: boolean;
  onNewer: () => void;
  onOlder: () => void;
  label: string;
}) {
  return (
    <nav aria-label={`${label} pages`} className="mt-3 flex items-center gap-2 text-xs">
      <button type="button" className="rounded border border-line px-2 py-1 disabled:opacity-40" disabled={page === 1} onClick={onNewer}>
        ← Newer
      </button>
      <span className="text-muted">Page {page}</span>
      <button type="button" className="rounded border border-line px-2 py-1 disabled:opacity-40" disabled={!hasOlder} onClick={onOlder}>
        Older →
      </button>
    </nav>
  );
}

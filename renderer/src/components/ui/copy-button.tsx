import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { Button } from './button';

/** Copies `text`; says so in a toast, or shows why not (clipboard refused). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone(true);
      toast.success('Copied to the clipboard');
      setTimeout(() => setDone(false), 1500);
    } catch {
      toast.error('The browser refused the clipboard: select the text and copy it by hand');
    }
  };
  return (
    <Button
      size="sm"
      variant="ghost"
      onClick={() => void copy()}
      aria-label={`${label}: ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`}
    >
      {done ? <Check aria-hidden className="h-3.5 w-3.5" /> : <Copy aria-hidden className="h-3.5 w-3.5" />}
      <span>{label}</span>
    </Button>
  );
}

/**
 * Keeps a part of the page that failed from taking the whole page with it. A code-split part (a
 * page, the Overview's charts, the plan graph) is downloaded from the daemon when first shown: if
 * the daemon goes away mid-download, the import fails, and with nothing to catch it React unmounts
 * the whole app, the "daemon went away" banner included. Here the part shows an error in its place
 * while the frame stays, and tries again on "Try again" and by itself when the event stream opens
 * again (the daemon is back).
 */
import { Component, createContext, lazy, useContext, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { ErrorState } from '../ui/states';
import { useStores } from '../../stores/context';

/** The round of tries of the nearest boundary: it changes when the boundary is told to try again. */
const Round = createContext('');

/**
 * `React.lazy`, except that a load that failed is made again once its boundary tries again;
 * `React.lazy` keeps the failure for good.
 */
export function reloadableLazy<Props extends object>(load: () => Promise<{ default: ComponentType<Props> }>): ComponentType<Props> {
  const make = (round: string) => {
    const outcome = { failed: false };
    const Part = lazy(() =>
      load().catch((error: unknown) => {
        outcome.failed = true;
        throw error;
      }),
    );
    return { round, outcome, Part };
  };
  let made: ReturnType<typeof make> | undefined;
  return function Reloadable(props: Props) {
    const round = useContext(Round);
    if (!made || (made.outcome.failed && made.round !== round)) made = make(round);
    const { Part } = made;
    return <Part {...props} />;
  };
}

interface CatcherProps {
  /** What failed, for the message: "The charts", "This page". */
  label: string;
  /** A change clears a caught error (and renders the children again). */
  resetKey: string;
  onRetry(): void;
  children: ReactNode;
}

class Catcher extends Component<CatcherProps, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidUpdate(previous: CatcherProps): void {
    if (this.state.error && previous.resetKey !== this.props.resetKey) this.setState({ error: undefined });
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return <Round.Provider value={this.props.resetKey}>{this.props.children}</Round.Provider>;
    return <ErrorState message={`${this.props.label} could not be shown: ${error.message}`} onRetry={this.props.onRetry} />;
  }
}

/** Catches what `children` throw; `resetOn` (e.g. the path) changing clears the error too. */
export function PartBoundary({ label, resetOn = '', children }: { label: string; resetOn?: string; children: ReactNode }) {
  const stores = useStores();
  const [attempt, setAttempt] = useState(0);
  useEffect(
    () =>
      stores.connection.subscribe((state, previous) => {
        if (state.status === 'open' && previous.status !== 'open') setAttempt((count) => count + 1);
      }),
    [stores],
  );
  return (
    <Catcher label={label} resetKey={`${attempt} ${resetOn}`} onRetry={() => setAttempt((count) => count + 1)}>
      {children}
    </Catcher>
  );
}

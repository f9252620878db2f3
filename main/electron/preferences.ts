/**
 * The desktop app's own settings, kept with electron-store in the user-data folder: window bounds,
 * start at login, the theme and the last mode. Each value is checked when read (a hand-edited or
 * older file gives defaults, not a crash) and when written (a bad value is refused, the file kept).
 */
import { z } from 'zod';
import { MODES } from '../../shared/api/operations/config.js';

export const THEMES = ['system', 'light', 'dark'] as const;

export const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(320).max(16_384),
  height: z.number().int().min(240).max(16_384),
  maximized: z.boolean(),
});
export type WindowBounds = z.output<typeof windowBoundsSchema>;

const schemas = {
  windowBounds: windowBoundsSchema.optional(),
  openAtLogin: z.boolean(),
  theme: z.enum(THEMES),
  lastMode: z.enum(MODES).optional(),
};

export type PreferenceValues = { [K in keyof typeof schemas]: z.output<(typeof schemas)[K]> };
export type PreferenceKey = keyof PreferenceValues;

const DEFAULTS: PreferenceValues = { windowBounds: undefined, openAtLogin: false, theme: 'system', lastMode: undefined };

/** The options electron-store is made with: its own file, private to the user, reset if unreadable. */
export const PREFERENCE_STORE_OPTIONS = {
  name: 'preferences',
  configFileMode: 0o600,
  clearInvalidConfig: true,
  accessPropertiesByDotNotation: false,
} as const;

/** What is kept of electron-store (and of `conf`, which it is built on). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export class Preferences {
  constructor(private readonly store: KeyValueStore) {}

  /** The value of `key`, or its default when it is missing or not valid. */
  get<K extends PreferenceKey>(key: K): PreferenceValues[K] {
    const parsed = schemas[key].safeParse(this.store.get(key));
    return parsed.success && parsed.data !== undefined ? (parsed.data as PreferenceValues[K]) : DEFAULTS[key];
  }

  /** Stores `value` (undefined removes it). Throws, keeping the file as it was, when it is not valid. */
  set<K extends PreferenceKey>(key: K, value: PreferenceValues[K]): void {
    const parsed = schemas[key].safeParse(value);
    if (!parsed.success) throw new Error(`preference ${key}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    if (parsed.data === undefined) this.store.delete(key);
    else this.store.set(key, parsed.data);
  }
}

/** A rectangle of the screen, as Electron's `Display.workArea`. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The saved bounds if enough of them (120 × 80 px) is still on one of `workAreas` (a monitor may be
 * gone since), else undefined: the window then opens centred at its default size.
 */
export function restorableBounds(saved: WindowBounds | undefined, workAreas: readonly Rect[]): WindowBounds | undefined {
  if (!saved) return undefined;
  const visible = workAreas.some((area) => {
    const width = Math.min(saved.x + saved.width, area.x + area.width) - Math.max(saved.x, area.x);
    const height = Math.min(saved.y + saved.height, area.y + area.height) - Math.max(saved.y, area.y);
    return width >= 120 && height >= 80;
  });
  return visible ? saved : undefined;
}

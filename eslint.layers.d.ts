// Types of eslint.layers.js, for the layer test.
import type { Linter } from 'eslint';

export interface Layer {
  name: string;
  files: string[];
  ignores: string[];
  patterns: ({ group: string[]; message: string } | { regex: string; message: string })[];
}

export const layers: Layer[];
export function layerConfigs(): Linter.Config[];
/** The lower rooms of the core, from the bottom up. */
export const LOWER_CORE: string[];

/** Types of scripts/electron-fuses.mjs, electron-builder's afterPack hook. */
import type { FuseV1Options } from '@electron/fuses';

export const FUSES: Record<FuseV1Options, boolean>;

/** The part of electron-builder's AfterPackContext the hook reads. */
export interface FuseContext {
  electronPlatformName: string;
  appOutDir: string;
  arch: number;
  packager: { appInfo: { productFilename: string }; executableName: string };
}

export function electronBinary(context: FuseContext): string;
export default function afterPack(context: FuseContext): Promise<void>;

export const CHROMIUM_ARGS: readonly string[];
export function chromiumLaunchOptions(options?: { keepOmniboxPopup?: boolean }): { executablePath?: string; args: string[] };

/** See follow.mjs. */
export function followToCallback(start: string): Promise<string>;

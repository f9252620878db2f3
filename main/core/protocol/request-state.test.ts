import { describe, expect, it } from 'vitest';
import { RequestStateSeal } from './request-state.js';

const alice = { keyId: 'key-alice', scope: 'github' };

describe('the requestState seal', () => {
  it('opens what it minted, for the same key and endpoint, until it expires', () => {
    let now = 1_000;
    const seal = new RequestStateSeal(undefined, () => now);
    const token = seal.mint('call-7', alice, 60_000);
    expect(seal.open(token, alice)).toEqual({ ok: true, handle: 'call-7' });
    now += 60_000;
    expect(seal.open(token, alice)).toEqual({ ok: true, handle: 'call-7' });
    now += 1;
    expect(seal.open(token, alice)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a state of another key, another endpoint or another daemon run', () => {
    const seal = new RequestStateSeal();
    const token = seal.mint('call-7', alice, 60_000);
    expect(seal.open(token, { ...alice, keyId: 'key-bob' })).toEqual({ ok: false, reason: 'forged' });
    expect(seal.open(token, { ...alice, scope: '' })).toEqual({ ok: false, reason: 'forged' });
    expect(new RequestStateSeal().open(token, alice)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a state whose handle or expiry was altered, and anything that is not a state', () => {
    const seal = new RequestStateSeal();
    const token = seal.mint('call-7', alice, 60_000);
    const [, mac] = token.split('.');
    const altered = Buffer.from(JSON.stringify([1, 'call-8', Date.now() + 60_000])).toString('base64url');
    expect(seal.open(`${altered}.${mac}`, alice)).toEqual({ ok: false, reason: 'forged' });
    const flipped = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
    expect(seal.open(flipped, alice)).toEqual({ ok: false, reason: 'forged' });
    for (const junk of [undefined, 42, '', 'no-dot', '.mac', 'x'.repeat(600)]) expect(seal.open(junk, alice).ok).toBe(false);
  });

  it('does not let one binding pass for another by moving characters between its parts', () => {
    const seal = new RequestStateSeal();
    const token = seal.mint('h', { keyId: 'ab', scope: 'c' }, 60_000);
    expect(seal.open(token, { keyId: 'a', scope: 'bc' })).toEqual({ ok: false, reason: 'forged' });
  });
});

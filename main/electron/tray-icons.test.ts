import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_KINDS, trayIconPath } from './tray-icons.js';

const resources = fileURLToPath(new URL('../../resources/', import.meta.url));
const trayDir = join(resources, 'tray');

/** Width, height and RGBA pixels of an 8-bit RGBA, non-interlaced PNG (what rsvg-convert writes). */
function decodePng(file: string): { width: number; height: number; pixels: Uint8Array } {
  const data = readFileSync(file);
  expect(data.subarray(1, 4).toString('ascii')).toBe('PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.subarray(offset + 4, offset + 8).toString('ascii');
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9], body[12]]).toEqual([8, 6, 0]);
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? pixels[y * stride + x - 4]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? pixels[(y - 1) * stride + x - 4]! : 0;
      const paeth = (): number => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter]!;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

describe('tray icons', () => {
  it('exist for every state on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const kind of TRAY_ICON_KINDS) expect(existsSync(trayIconPath(trayDir, platform, kind)), `${platform} ${kind}`).toBe(true);
    }
  });

  it('on macOS are template images: black and alpha, 16 px with a 32 px @2x', () => {
    for (const kind of TRAY_ICON_KINDS) {
      for (const [suffix, size] of [
        ['', 16],
        ['@2x', 32],
      ] as const) {
        const { width, height, pixels } = decodePng(join(trayDir, `tray-${kind}Template${suffix}.png`));
        expect([width, height]).toEqual([size, size]);
        let opaque = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          if (pixels[i + 3] === 0) continue;
          opaque++;
          expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([0, 0, 0]);
        }
        expect(opaque).toBeGreaterThan(size * 2);
      }
    }
  });

  it('look different in each state', () => {
    const alphas = TRAY_ICON_KINDS.map((kind) =>
      Buffer.from(decodePng(join(trayDir, `tray-${kind}Template@2x.png`)).pixels.filter((_, i) => i % 4 === 3)).toString('hex'),
    );
    expect(new Set(alphas).size).toBe(3);
  });

  it('on Windows are .ico files holding 16 to 48 px images', () => {
    for (const kind of TRAY_ICON_KINDS) {
      const ico = readFileSync(trayIconPath(trayDir, 'win32', kind));
      expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
      const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, index) => ico.readUInt8(6 + 16 * index));
      expect(sizes).toEqual([16, 20, 24, 32, 40, 48]);
    }
  });

  it('the app icon: an .icns up to 1024 px, an .ico up to 256 px, and the Linux PNG sizes', () => {
    const icns = readFileSync(join(resources, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(icns.includes(Buffer.from('ic10'))).toBe(true);
    const ico = readFileSync(join(resources, 'icon.ico'));
    expect(ico.readUInt8(6 + 16 * (ico.readUInt16LE(4) - 1))).toBe(0);
    for (const size of [16, 32, 48, 64, 128, 256, 512, 1024])
      expect(decodePng(join(resources, 'icons', `${size}x${size}.png`)).width).toBe(size);
  });
});

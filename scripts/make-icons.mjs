// Draws MCP Orch's app and tray icons as SVG, renders them with rsvg-convert (Debian: librsvg2-bin)
// and packs the .ico and .icns files itself. Outputs go to resources/ and are committed; run this
// again only to change the icons: node scripts/make-icons.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const resources = fileURLToPath(new URL('../resources/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mcp-orch-icons-'));

/** The hub: a centre node wired to three servers, in a 16-unit box. */
const SATELLITES = [
  [8, 2.4],
  [2.6, 11.6],
  [13.4, 11.6],
];

/** The glyph for one state: `running` solid, `stopped` hollow, `failing` with a warning mark. */
function glyph(kind, color) {
  const hollow = kind === 'stopped';
  const wired = kind === 'failing' ? SATELLITES.slice(0, 2) : SATELLITES;
  // Each wire runs between the rims of the two nodes, so hollow nodes stay empty.
  const lines = wired
    .map(([x, y]) => {
      const length = Math.hypot(x - 8, y - 8);
      const [ux, uy] = [(x - 8) / length, (y - 8) / length];
      const [x1, y1, x2, y2] = [8 + ux * 2.8, 8 + uy * 2.8, x - ux * 2, y - uy * 2].map((value) => value.toFixed(2));
      return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="${color}" stroke-width="${hollow ? 1 : 1.4}" stroke-linecap="round"/>`;
    })
    .join('');
  const node = (x, y, r) =>
    hollow
      ? `<circle cx="${x}" cy="${y}" r="${r - 0.5}" fill="none" stroke="${color}" stroke-width="1"/>`
      : `<circle cx="${x}" cy="${y}" r="${r}" fill="${color}"/>`;
  const satellites = wired.map(([x, y]) => node(x, y, 2)).join('');
  // A warning triangle where the third server was, its "!" cut out of the fill.
  const warning =
    kind === 'failing'
      ? `<path fill-rule="evenodd" fill="${color}" d="M12.6 8.1 L16 14.6 L9.2 14.6 Z M12.15 10.2 L13.05 10.2 L12.9 12.5 L12.3 12.5 Z M12.6 13 A0.55 0.55 0 1 0 12.61 13 Z"/>`
      : '';
  return `${lines}${satellites}${node(8, 8, 2.8)}${warning}`;
}

const traySvg = (kind, color) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">${glyph(kind, color)}</svg>`;

/** The app icon: the hub in white on an indigo rounded square. */
const appSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="1024" height="1024" viewBox="0 0 1024 1024">
<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5b6cf0"/><stop offset="1" stop-color="#3a3fb8"/></linearGradient></defs>
<rect x="64" y="64" width="896" height="896" rx="200" fill="url(#bg)"/>
<g transform="translate(192 216) scale(40)">${glyph('running', '#ffffff')}</g>
</svg>`;

function render(svg, size, file) {
  const source = join(work, 'source.svg');
  writeFileSync(source, svg);
  execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), '-o', file, source]);
  return readFileSync(file);
}

/** An .ico of PNG images (Windows Vista and later read PNG entries). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const at = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

/** An .icns of PNG entries, by OSType. */
function icns(entries) {
  const chunks = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([head, ...chunks]);
}

try {
  mkdirSync(join(resources, 'icons'), { recursive: true });
  mkdirSync(join(resources, 'tray'), { recursive: true });
  writeFileSync(join(resources, 'icon.svg'), appSvg);

  const app = new Map();
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) app.set(size, render(appSvg, size, join(work, `app-${size}.png`)));
  // Linux: one PNG per size, named as electron-builder expects.
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) writeFileSync(join(resources, 'icons', `${size}x${size}.png`), app.get(size));
  writeFileSync(join(resources, 'icon.png'), app.get(1024));
  writeFileSync(join(resources, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: app.get(size) }))));
  writeFileSync(
    join(resources, 'icon.icns'),
    icns(
      [
        ['icp4', 16],
        ['icp5', 32],
        ['ic11', 32],
        ['icp6', 64],
        ['ic12', 64],
        ['ic07', 128],
        ['ic08', 256],
        ['ic13', 256],
        ['ic09', 512],
        ['ic14', 512],
        ['ic10', 1024],
      ].map(([type, size]) => ({ type, png: app.get(size) })),
    ),
  );

  const colours = { running: '#16a34a', failing: '#d97706', stopped: '#8b919a' };
  for (const kind of ['running', 'failing', 'stopped']) {
    // macOS: black and alpha only; the menu bar tints it.
    writeFileSync(join(resources, 'tray', `${kind}.svg`), traySvg(kind, '#000000'));
    render(traySvg(kind, '#000000'), 16, join(resources, 'tray', `tray-${kind}Template.png`));
    render(traySvg(kind, '#000000'), 32, join(resources, 'tray', `tray-${kind}Template@2x.png`));
    // Linux: coloured, 24 px and @2x.
    render(traySvg(kind, colours[kind]), 24, join(resources, 'tray', `tray-${kind}.png`));
    render(traySvg(kind, colours[kind]), 48, join(resources, 'tray', `tray-${kind}@2x.png`));
    // Windows: coloured, every size the notification area asks for at 100–200 % scaling.
    writeFileSync(
      join(resources, 'tray', `tray-${kind}.ico`),
      ico(
        [16, 20, 24, 32, 40, 48].map((size) => ({
          size,
          png: render(traySvg(kind, colours[kind]), size, join(work, `tray-${kind}-${size}.png`)),
        })),
      ),
    );
  }
  console.log(`icons written to ${resources}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

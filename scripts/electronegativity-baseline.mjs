// The baseline of scripts/electronegativity.mjs: which Electronegativity findings are known and
// explained (security/electronegativity-baseline.json), and which are new. Pure, so that
// main/electron/electronegativity.test.ts can check the comparison without running the tool.
//
// A finding is keyed by its check, its file and the trimmed source line it points at (the tool's
// `sample`), not by its line number: moving code around does not touch the baseline, but editing
// the flagged line does, so the change is looked at again. Keys may repeat: each entry accounts for
// one finding, so a second identical line in the same file is a new finding of its own.

/** The key of a finding or a baseline entry. */
export function findingKey({ check, file, code }) {
  return `${check}\u0000${file}\u0000${code}`;
}

/** The entries of a parsed baseline file, checked: every entry names a check, a file, a code line and says why. */
export function readBaseline(json) {
  if (json === null || typeof json !== 'object' || !Array.isArray(json.findings)) {
    throw new Error('the baseline must be an object with a "findings" array');
  }
  return json.findings.map((entry, index) => {
    const at = `baseline entry ${index + 1}`;
    if (entry === null || typeof entry !== 'object') throw new Error(`${at} is not an object`);
    for (const field of ['check', 'file', 'code', 'why']) {
      if (typeof entry[field] !== 'string') throw new Error(`${at} has no "${field}" string`);
    }
    if (entry.check.trim() === '' || entry.file.trim() === '') throw new Error(`${at} has an empty "check" or "file"`);
    // An entry without a reason is a finding nobody looked at.
    if (entry.why.trim().length < 20) throw new Error(`${at} (${entry.check} in ${entry.file}) does not say why it is acceptable`);
    return { check: entry.check, file: entry.file, code: entry.code, why: entry.why };
  });
}

/**
 * Matches `findings` (each with check, file, code, line) against the baseline `entries`:
 * `known` pairs a finding with the entry that explains it, `fresh` are findings no entry accounts
 * for, `stale` are entries no finding matched any more.
 */
export function compareWithBaseline(findings, entries) {
  const unused = new Map();
  for (const entry of entries) {
    const key = findingKey(entry);
    const list = unused.get(key) ?? [];
    list.push(entry);
    unused.set(key, list);
  }
  const known = [];
  const fresh = [];
  for (const finding of findings) {
    const entry = unused.get(findingKey(finding))?.shift();
    if (entry === undefined) fresh.push(finding);
    else known.push({ finding, entry });
  }
  const stale = [...unused.values()].flat();
  return { known, fresh, stale };
}

/** The lines to print for a comparison; `ok` is false when a finding is new. */
export function reportComparison({ known, fresh, stale }, baselinePath) {
  const lines = [];
  const where = (finding) => (finding.file === 'N/A' ? 'the whole app' : `${finding.file}:${finding.line}`);
  if (fresh.length > 0) {
    lines.push(`electronegativity: ${fresh.length} finding(s) not in ${baselinePath}:`);
    for (const finding of fresh) {
      lines.push(`  ${finding.check} (${finding.severity}, ${finding.confidence}) at ${where(finding)}`);
      if (finding.code !== '') lines.push(`    ${finding.code}`);
      lines.push(`    ${finding.description}`);
    }
    lines.push(
      'Fix the code, or, if it is acceptable, add an entry per finding to the baseline saying why:',
      ...fresh.map((finding) => `  ${JSON.stringify({ check: finding.check, file: finding.file, code: finding.code, why: '…' })}`),
    );
  }
  if (stale.length > 0) {
    lines.push(`electronegativity: ${stale.length} baseline entr${stale.length === 1 ? 'y' : 'ies'} no longer found (remove them):`);
    for (const entry of stale) lines.push(`  ${entry.check} in ${entry.file}: ${entry.code}`);
  }
  if (fresh.length === 0) lines.push(`electronegativity: no new findings (${known.length} known, explained in ${baselinePath}).`);
  return { ok: fresh.length === 0, lines };
}

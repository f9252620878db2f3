// Tables and verdicts printed at the end of a run.

export const P50_TARGET = 1.1;
export const THROUGHPUT_TARGET = 0.9;

function fmt(value, digits) {
  if (value === undefined || value === null || Number.isNaN(value)) return 'n/a';
  if (digits !== undefined) return value.toFixed(digits);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Rows of two cells (a name and an n/a reason) are printed as they are and do not set widths. */
function table(header, rows) {
  const sized = rows.filter((row) => row.length > 2);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...(column === 0 ? rows : sized).map((row) => (row[column] ?? '').length)),
  );
  const line = (cells) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cells.length > 2 ? cell.padStart(widths[column]) : cell))
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

function badCount(row) {
  const levels = row.levels.reduce((sum, level) => sum + (level.wrong ?? 0) + (level.lost ?? 0), 0);
  const warmup = (row.warmup?.wrong ?? 0) + (row.warmup?.lost ?? 0);
  return levels + warmup + (row.sleep ? row.sleep.wrong + row.sleep.lost : 0);
}

export function clientTable(rows, levels) {
  const header = ['target'];
  for (const clients of levels) header.push(`p50@${clients}`, `p99@${clients}`, `calls/s@${clients}`);
  header.push('sleep 20x100', 'RSS MB', 'gw MB', 'bad');
  const body = rows.map((row) => {
    if (row.status !== 'ok') return [row.name, `n/a: ${row.reason}`];
    const cells = [row.name];
    for (const clients of levels) {
      const level = row.levels.find((entry) => entry.clients === clients);
      if (!level || level.error) cells.push('n/a', 'n/a', 'n/a');
      else cells.push(fmt(level.p50), fmt(level.p99), fmt(level.callsPerSec, 0));
    }
    cells.push(
      row.sleep?.error ? 'n/a' : fmt(row.sleep?.wallMs, 0),
      fmt(row.memory?.peakHwmMb, 0),
      fmt(row.memory?.peakRootHwmMb, 0),
      String(badCount(row)),
    );
    return cells;
  });
  return table(header, body);
}

export function rawTable(rows) {
  const body = rows
    .filter((row) => row.raw)
    .map((row) => {
      if (row.raw.error) return [row.name, `n/a: ${row.raw.error}`];
      const raw = row.raw;
      return [
        row.name,
        fmt(raw.requestsPerSec, 0),
        fmt(raw.p50),
        fmt(raw.p99),
        String(raw.non2xx + raw.errors + raw.timeouts),
        String(raw.wrongAnswers),
      ];
    });
  return table(['target (raw HTTP)', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx/err', 'wrong'], body);
}

/** Problems of a row that the table cannot show: level errors, error messages behind lost calls. */
export function rowNotes(rows) {
  const notes = [];
  for (const row of rows) {
    if (row.status !== 'ok') continue;
    if (row.partial) notes.push(`${row.name}: ${row.partial}`);
    if (row.transport === 'stdio')
      notes.push(`${row.name}: one fixture process per client, so its RSS is the sum over the 50 processes of the 50-client level`);
    for (const level of row.levels) {
      if (level.error) notes.push(`${row.name} @${level.clients}: ${level.error}`);
      else if (level.wrong || level.lost)
        notes.push(
          `${row.name} @${level.clients}: ${level.wrong} wrong, ${level.lost} lost (${level.abandoned} of them never sent: the client gave up after ${3} failures in a row) ${JSON.stringify(level.errors).slice(0, 300)}`,
        );
    }
    if (row.warmup?.error) notes.push(`${row.name} warm-up: ${row.warmup.error}`);
    else if (row.warmup && (row.warmup.wrong || row.warmup.lost))
      notes.push(`${row.name} warm-up: ${row.warmup.wrong} wrong, ${row.warmup.lost} lost`);
    if (row.sleep?.error) notes.push(`${row.name} sleep: ${row.sleep.error}`);
    else if (row.sleep && (row.sleep.wrong || row.sleep.lost))
      notes.push(`${row.name} sleep: ${row.sleep.wrong} wrong, ${row.sleep.lost} lost`);
    if (row.memory)
      notes.push(
        `${row.name}: peak ${row.memory.peakProcesses} process(es) in the serving tree, sampled ΣVmRSS ${fmt(row.memory.peakRssMb, 0)} MB`,
      );
  }
  return notes;
}

function findRow(rows, name) {
  const row = rows.find((entry) => entry.name === name);
  return row && row.status === 'ok' ? row : undefined;
}

/**
 * mcp-orch against the SDK's own HTTP transports (Streamable in its default mode and with
 * enableJsonResponse), per transport and client count. The verdict is on
 * the median, over the rounds, of each round's ratio: within a round the two rows took turns block
 * by block, so their ratio is paired; the ratio of the medians (also printed) mixes rounds run
 * minutes apart. With one round they are the same.
 */
export function floorRatios(rows, levels, rounds = [rows]) {
  const lines = [];
  // Streamable twice: against the SDK's default (SSE streams) and its fastest mode (enableJsonResponse).
  for (const [transport, label, floorName] of [
    ['sse', 'SSE', 'SDK native SSE'],
    ['streamable', 'Streamable', 'SDK native Streamable'],
    ['streamable', 'Streamable', 'SDK native Streamable JSON'],
    ['modern', '2026-07-28', 'SDK v2 2026-07-28'],
  ]) {
    const orch = findRow(rows, `mcp-orch ${label}`);
    const floor = findRow(rows, floorName);
    if (!orch || !floor) {
      lines.push(`${label} vs ${floorName}: n/a (${!orch ? 'mcp-orch' : 'the floor'} did not run)`);
      continue;
    }
    for (const clients of levels) {
      const o = levelOf(orch, clients);
      const f = levelOf(floor, clients);
      if (!o || !f) {
        lines.push(`${label} vs ${floorName} @${clients}: n/a`);
        continue;
      }
      const paired = (figure) => pairedRatio(rounds, `mcp-orch ${label}`, floorName, clients, figure);
      const p50 = paired('p50');
      const throughput = paired('callsPerSec');
      const p99 = paired('p99');
      const ofMedians =
        rounds.length > 1 ? `; ratios of the medians: p50 ${fmt(o.p50 / f.p50, 2)}, calls/s ${fmt(o.callsPerSec / f.callsPerSec, 2)}` : '';
      lines.push(
        `${label} vs ${floorName} @${String(clients).padStart(2)} clients: p50 ${fmt(o.p50)} / ${fmt(f.p50)}, ratio ${fmt(p50, 2)} ${p50 <= P50_TARGET ? 'OK ' : 'MISS'} (≤ ${P50_TARGET})` +
          `   calls/s ${fmt(o.callsPerSec, 0)} / ${fmt(f.callsPerSec, 0)}, ratio ${fmt(throughput, 2)} ${throughput >= THROUGHPUT_TARGET ? 'OK ' : 'MISS'} (≥ ${THROUGHPUT_TARGET})` +
          `   [p99 ${fmt(p99, 2)}x${ofMedians}]`,
      );
    }
    if (transport !== 'sse' && orch.raw && floor.raw && !orch.raw.error && !floor.raw.error) {
      lines.push(
        `${label} vs ${floorName} raw HTTP: req/s ${fmt(orch.raw.requestsPerSec, 0)} / ${fmt(floor.raw.requestsPerSec, 0)} = ${fmt(orch.raw.requestsPerSec / floor.raw.requestsPerSec, 2)}` +
          `   p50 ${fmt(orch.raw.p50)} / ${fmt(floor.raw.p50)} ms   p99 ${fmt(orch.raw.p99)} / ${fmt(floor.raw.p99)} ms`,
      );
    }
  }
  return lines;
}

/** The median over the rounds of each round's ratio of one figure of two rows (which took turns within the round). */
function pairedRatio(rounds, ours, theirs, clients, figure) {
  return median(
    rounds.map((round) => {
      const a = levelOf(findRow(round, ours), clients);
      const b = levelOf(findRow(round, theirs), clients);
      return a && b ? a[figure] / b[figure] : undefined;
    }),
  );
}

/**
 * This build against another build of mcp-orch run beside it (`--baseline`): per transport and
 * client count, the paired ratios of p50, p99 and calls/s, and the memory of both. A ratio near 1
 * means unchanged; this VM's noise between rounds is ±20 %, so read the medians, not single rounds.
 */
export function baselineRatios(rows, levels, rounds, label) {
  const lines = [];
  for (const transport of ['SSE', 'Streamable']) {
    const ours = `mcp-orch ${transport}`;
    const theirs = `mcp-orch@${label} ${transport}`;
    const a = findRow(rows, ours);
    const b = findRow(rows, theirs);
    if (!a || !b) {
      lines.push(`${transport}: n/a (${!a ? 'this build' : 'the baseline'} did not run)`);
      continue;
    }
    for (const clients of levels) {
      const ratio = (figure) => fmt(pairedRatio(rounds, ours, theirs, clients, figure), 2);
      lines.push(
        `${transport} @${String(clients).padStart(2)} clients: p50 ${ratio('p50')}   p99 ${ratio('p99')}   calls/s ${ratio('callsPerSec')}`,
      );
    }
    lines.push(
      `${transport} memory: RSS ${fmt(a.memory?.peakHwmMb, 0)} vs ${fmt(b.memory?.peakHwmMb, 0)} MB, daemon alone ${fmt(a.memory?.peakRootHwmMb, 0)} vs ${fmt(b.memory?.peakRootHwmMb, 0)} MB; sleep 20x100 ${fmt(a.sleep?.wallMs, 0)} vs ${fmt(b.sleep?.wallMs, 0)} ms`,
    );
  }
  return lines;
}

function levelOf(row, clients) {
  return row?.levels.find((level) => level.clients === clients && !level.error);
}

function figuresOf(row, levels) {
  const figures = [];
  for (const clients of levels) {
    const level = levelOf(row, clients);
    const bad = (level?.wrong ?? 0) + (level?.lost ?? 0);
    figures.push({ name: `p50@${clients}`, value: level?.p50, better: 'lower', bad });
    figures.push({ name: `p99@${clients}`, value: level?.p99, better: 'lower', bad });
    figures.push({ name: `calls/s@${clients}`, value: level?.callsPerSec, better: 'higher', bad });
  }
  const sleepBad = (row.sleep?.wrong ?? 0) + (row.sleep?.lost ?? 0);
  figures.push({ name: 'sleep 20x100', value: row.sleep?.error ? undefined : row.sleep?.wallMs, better: 'lower', bad: sleepBad });
  figures.push({ name: 'RSS', value: row.memory?.peakHwmMb, better: 'lower' });
  figures.push({ name: 'bad', value: badCount(row), better: 'lower-or-equal' });
  if (row.raw && !row.raw.error) {
    figures.push({ name: 'raw req/s', value: row.raw.requestsPerSec, better: 'higher' });
    figures.push({ name: 'raw p50', value: row.raw.p50, better: 'lower-or-equal' });
    figures.push({ name: 'raw p99', value: row.raw.p99, better: 'lower-or-equal' });
  }
  return figures;
}

function isAhead(ours, theirs, better) {
  if (better === 'higher') return ours > theirs;
  if (better === 'lower') return ours < theirs;
  return ours <= theirs;
}

/**
 * For each transport: every figure on which mcp-orch is not ahead of a peer. A timing the peer
 * measured at a level where it got answers wrong or lost (and mcp-orch got none) does not describe
 * the same work, since it covers only the peer's correct answers (and its clients that gave up stop
 * loading it): mcp-orch is ahead there by correctness, and such figures are listed apart.
 */
export function peerComparison(rows, levels) {
  const lines = [];
  for (const label of ['SSE', 'Streamable', '2026-07-28']) {
    const orch = findRow(rows, `mcp-orch ${label}`);
    if (!orch) {
      lines.push(`${label}: n/a (mcp-orch did not run)`);
      continue;
    }
    const ours = figuresOf(orch, levels);
    const peers = rows.filter((row) => row.group === 'peer' && row.name.endsWith(` ${label}`));
    if (peers.length === 0) lines.push(`${label}: no peer row`);
    for (const peer of peers) {
      if (peer.status !== 'ok') {
        lines.push(`${label} vs ${peer.name}: n/a (${peer.reason})`);
        continue;
      }
      const theirs = new Map(figuresOf(peer, levels).map((figure) => [figure.name, figure]));
      const behind = [];
      const byCorrectness = [];
      let compared = 0;
      for (const figure of ours) {
        const other = theirs.get(figure.name);
        if (figure.value === undefined || other?.value === undefined || Number.isNaN(figure.value) || Number.isNaN(other.value)) continue;
        compared += 1;
        if (isAhead(figure.value, other.value, figure.better)) continue;
        const text = `${figure.name} ${fmt(figure.value)} vs ${fmt(other.value)}`;
        if (other.bad > 0 && !(figure.bad > 0)) byCorrectness.push(`${text} (${other.bad} bad)`);
        else behind.push(text);
      }
      const verdict =
        behind.length === 0 ? `ahead on all ${compared} figures` : `NOT ahead on ${behind.length} of ${compared}: ${behind.join('; ')}`;
      const apart = byCorrectness.length
        ? `; ahead only by correctness on ${byCorrectness.length}, where ${peer.name} got answers wrong or lost and its timing covers only its correct ones: ${byCorrectness.join('; ')}`
        : '';
      const peerBad = badCount(peer);
      const caveat = peerBad > 0 && !apart ? ` [${peer.name} got ${peerBad} answers wrong or lost]` : '';
      lines.push(`${label} vs ${peer.name}: ${verdict}${apart}${caveat}`);
    }
  }
  return lines;
}

export function median(values) {
  const present = values.filter((value) => typeof value === 'number' && !Number.isNaN(value)).sort((a, b) => a - b);
  if (present.length === 0) return undefined;
  const middle = Math.floor(present.length / 2);
  return present.length % 2 === 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
}

function sum(values) {
  return values.reduce((total, value) => total + (value ?? 0), 0);
}

function mergeLevels(levels) {
  const ok = levels.filter((level) => !level.error);
  if (ok.length === 0) return levels[0];
  const merged = { clients: ok[0].clients, rounds: ok.length };
  for (const key of ['p50', 'p99', 'mean', 'callsPerSec', 'wallMs']) merged[key] = median(ok.map((level) => level[key]));
  for (const key of ['ok', 'wrong', 'lost', 'abandoned', 'calls']) merged[key] = sum(ok.map((level) => level[key]));
  merged.errors = Object.assign({}, ...ok.map((level) => level.errors));
  return merged;
}

/** One row per target from several rounds: medians of the figures, the largest RSS, summed bad answers. */
export function medianRows(rounds) {
  if (rounds.length === 1) return rounds[0];
  return rounds[0].map((first, index) => {
    const runs = rounds.map((round) => round[index]).filter((row) => row.status === 'ok');
    if (runs.length === 0) return first;
    const row = { ...runs[0], levels: [] };
    for (const level of runs[0].levels)
      row.levels.push(mergeLevels(runs.map((run) => run.levels.find((entry) => entry.clients === level.clients)).filter(Boolean)));
    const sleeps = runs.map((run) => run.sleep).filter((entry) => entry && !entry.error);
    row.sleep = sleeps.length
      ? {
          wallMs: median(sleeps.map((entry) => entry.wallMs)),
          wrong: sum(sleeps.map((entry) => entry.wrong)),
          lost: sum(sleeps.map((entry) => entry.lost)),
        }
      : runs[0].sleep;
    const warmups = runs.map((run) => run.warmup).filter((entry) => entry && !entry.error);
    if (warmups.length) row.warmup = { wrong: sum(warmups.map((entry) => entry.wrong)), lost: sum(warmups.map((entry) => entry.lost)) };
    row.memory = {
      peakHwmMb: Math.max(...runs.map((run) => run.memory?.peakHwmMb ?? 0)),
      peakRootHwmMb: Math.max(...runs.map((run) => run.memory?.peakRootHwmMb ?? 0)),
      peakRssMb: Math.max(...runs.map((run) => run.memory?.peakRssMb ?? 0)),
      peakProcesses: Math.max(...runs.map((run) => run.memory?.peakProcesses ?? 0)),
    };
    const raws = runs.map((run) => run.raw).filter((entry) => entry && !entry.error);
    if (raws.length) {
      row.raw = { ...raws[0] };
      for (const key of ['requestsPerSec', 'p50', 'p99']) row.raw[key] = median(raws.map((entry) => entry[key]));
      for (const key of ['non2xx', 'errors', 'timeouts', 'wrongAnswers', 'checkedAnswers'])
        row.raw[key] = sum(raws.map((entry) => entry[key]));
    }
    if (runs.length < rounds.length) row.partial = `${rounds.length - runs.length} round(s) n/a`;
    return row;
  });
}

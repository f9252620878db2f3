// Prints the soak's figures: the soak side by side per target, the process figures over time,
// the large answers, the clients that left mid-call, the clients that stop reading, what failed, and
// how each must-be figure came out.

const fmt = (value, digits = 0) =>
  value === undefined || value === null || Number.isNaN(value)
    ? '–'
    : typeof value === 'number'
      ? Number.isFinite(value)
        ? value.toFixed(digits)
        : 'never'
      : String(value);
const int = (value) => (value === undefined ? '–' : Math.round(value).toLocaleString('en-US'));

function table(header, rows) {
  const widths = header.map((cell, index) => Math.max(String(cell).length, ...rows.map((row) => String(row[index] ?? '').length)));
  const line = (row) =>
    row
      .map((cell, index) => (index === 0 ? String(cell ?? '').padEnd(widths[index]) : String(cell ?? '').padStart(widths[index])))
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function soakRows(soak, names) {
  const of = (fn) => names.map((name) => fn(soak.targets[name], name));
  const ms = (stats) => (stats?.n ? `${fmt(stats.p50)}/${fmt(stats.p99)}/${fmt(stats.max)}` : '–');
  const batch = (t) =>
    t.tasks.total === 0
      ? 'n/a'
      : `${int(t.tasks.total)}: ${int(t.tasks.succeeded)} ok, ${t.tasks.wrong} wrong, ${t.tasks.failedExplained} failed (kill), ${t.tasks.lost} lost, ${t.tasks.skipped} skipped`;
  const memory = (m, key, digits) =>
    m[key] ? `${fmt(m[key].first, digits)} → ${fmt(m[key].last, digits)} (max ${fmt(m[key].max, digits)})` : '–';
  const slope = (m, key, digits) =>
    m[key]?.slopePerMin === undefined
      ? '–'
      : `${m[key].slopePerMin >= 0 ? '+' : ''}${fmt(m[key].slopePerMin, digits)} (r² ${fmt(m[key].r2, 2)})`;
  const stop = (name) => {
    const entry = soak.stops?.[name];
    if (!entry) return '–';
    const how = entry.wasRunning ? (entry.exitMs === undefined ? 'did not exit' : `exit ${fmt(entry.exitMs)} ms`) : 'had exited';
    return `${how}; ${entry.orphans.length} orphan(s)`;
  };
  return [
    ['sessions', ...of((t) => t.sessions)],
    ['calls', ...of((t) => int(t.counts.calls))],
    ['calls/s', ...of((t) => fmt(t.counts.calls / (t.durationMs / 1000), 1))],
    ['ok', ...of((t) => int(t.counts.ok))],
    ['wrong (must be 0)', ...of((t) => t.counts.wrong)],
    ['lost (must be 0)', ...of((t) => t.counts.lost)],
    ['hung (must be 0)', ...of((t) => t.counts.hung)],
    ['failed, explained by a kill', ...of((t) => int(t.counts.failedExplained))],
    ['batch tasks', ...of(batch)],
    ['kills', ...of((t) => t.kills)],
    [
      'restart after kill p50/max ms',
      ...of(
        (t) =>
          (t.recoveryMs.n ? `${fmt(t.recoveryMs.p50)}/${fmt(t.recoveryMs.max)}` : '–') +
          (t.recoveryMs.never ? `, ${t.recoveryMs.never} never` : ''),
      ),
    ],
    [
      'in flight at a kill: failed/answered/hung/wrong',
      ...of((t) =>
        t.hit.perSession
          ? `${t.hit.failed} failed (a)`
          : `${t.hit.failed}/${t.hit.answered}/${t.hit.hung}/${t.hit.wrong} of ${t.hit.inFlight}`,
      ),
    ],
    ['kill → error p50/p99/max ms', ...of((t) => ms(t.hit.failMs))],
    ['kill → answer p50/p99/max ms', ...of((t) => ms(t.hit.answeredMs))],
    ['  answered sleeps not yet done at the kill', ...of((t) => t.hit.answeredSleepsCut)],
    [
      'started while down: ok/failed/hung',
      ...of((t) => `${t.startedWhileDown.ok}/${t.startedWhileDown.failed}/${t.startedWhileDown.hung}`),
    ],
    ['  their latency p50/p99/max ms', ...of((t) => ms(t.startedWhileDown.ms))],
    ['sessions opened (reconnects)', ...of((t) => `${t.sessionsOpened} (${t.reconnects})`)],
    ['connect failures (unexplained)', ...of((t) => `${t.connect.failures} (${t.connect.unexplained})`)],
    ['RSS MB after warm-up', ...of((t) => memory(t.memory, 'rssMb', 0))],
    ['RSS slope MB/min', ...of((t) => slope(t.memory, 'rssMb', 2))],
    ['open fds', ...of((t) => memory(t.memory, 'fds', 0))],
    ['fd slope /min', ...of((t) => slope(t.memory, 'fds', 2))],
    ['processes in tree (max)', ...of((t) => t.memory.maxProcesses)],
    ['stop (SIGTERM)', ...names.map(stop)],
  ];
}

function printSoak(soak, profile) {
  const names = Object.keys(soak.targets);
  if (names.length === 0) return;
  const kills = soak.kills ?? [];
  console.log(
    `\nSoak: ${profile.minutes} min, the same ${new Set(kills.map((kill) => kill.round)).size} kill rounds for every target (SIGKILL of one upstream process)`,
  );
  console.log(table(['figure', ...names], soakRows(soak, names)));
  if (names.some((name) => soak.targets[name].hit.perSession)) {
    console.log(
      "(a) one fixture process per session: a kill hits one session, so only the calls that failed are counted, not the other sessions' answers.",
    );
  }
  const classes = soak.targets['mcp-orch']?.byClass;
  if (classes) {
    console.log('\nmcp-orch by endpoint');
    console.log(
      table(
        ['endpoint', 'calls', 'ok', 'wrong', 'lost', 'hung', 'failed (kill)'],
        Object.entries(classes).map(([name, c]) => [name, int(c.calls), int(c.ok), c.wrong, c.lost, c.hung, c.failedExplained]),
      ),
    );
  }
  console.log('\nServing process over time (RSS MB / open fds / processes in its tree), one sample a minute');
  const minutes = Math.ceil(profile.minutes);
  const rows = [];
  for (let minute = 0; minute <= minutes; minute += 1) {
    rows.push([
      `${minute} min`,
      ...names.map((name) => {
        const sample =
          soak.targets[name].samples.find((entry) => entry.s >= minute * 60) ??
          (minute === minutes ? soak.targets[name].samples.at(-1) : undefined);
        return sample ? (sample.rss === undefined ? 'exited' : `${fmt(sample.rss)} / ${sample.fds} / ${sample.processes}`) : '';
      }),
    ]);
  }
  console.log(table(['t', ...names], rows));
  if (soak.heap?.error) console.log(`- mcp-orch live heap: ${soak.heap.error}`);
  else if (soak.heap) {
    const growth = soak.heap.topGrowth.filter((entry) => entry.growthMb > 0.05).map((entry) => `${entry.name} +${fmt(entry.growthMb, 2)}`);
    console.log(
      `- mcp-orch live heap after a full GC (heap snapshots): ${fmt(soak.heap.firstMb, 1)} MB → ${fmt(soak.heap.lastMb, 1)} MB over ${fmt(soak.heap.minutes, 1)} min ` +
        `(${soak.heap.slopeMbPerMin >= 0 ? '+' : ''}${fmt(soak.heap.slopeMbPerMin, 2)} MB/min)${growth.length ? `; grew most: ${growth.join(', ')} MB` : ''}`,
    );
  }
  for (const skipped of summariseSkips(soak.skippedKills ?? [])) console.log(`- kills skipped: ${skipped}`);
  for (const name of names) {
    const { errors } = soak.targets[name];
    for (const [kind, messages] of [
      ['lost', errors.lost],
      ['failed (kill)', errors.explained],
    ]) {
      const entries = Object.entries(messages);
      if (entries.length > 0)
        console.log(
          `- ${name}, ${kind}: ${entries
            .slice(0, 4)
            .map(([message, count]) => `${count} × ${message}`)
            .join('; ')}`,
        );
    }
    for (const orphan of soak.stops?.[name]?.orphans ?? [])
      console.log(`- ${name}: orphan pid ${orphan.pid}: ${orphan.command.slice(0, 160)}`);
  }
}

function summariseSkips(skipped) {
  const counts = new Map();
  for (const entry of skipped) counts.set(`${entry.target}: ${entry.reason}`, (counts.get(`${entry.target}: ${entry.reason}`) ?? 0) + 1);
  return [...counts].map(([text, count]) => `${text} (${count}×)`);
}

function printBig(big, bigBytes) {
  const rows = [];
  for (const [name, entries] of Object.entries(big ?? {})) {
    for (const entry of entries) {
      if (entry.error) {
        rows.push([`${name} ${entry.label}`, `error: ${entry.error}`]);
        continue;
      }
      for (const group of Object.keys(entry.alone)) {
        const a = entry.alone[group];
        const w = entry.withBig[group];
        rows.push([
          `${name} ${entry.label}`,
          group,
          `${fmt(a.p50, 1)} / ${fmt(a.p99, 1)} / ${fmt(a.max)}`,
          `${fmt(w.p50, 1)} / ${fmt(w.p99, 1)} / ${fmt(w.max)}`,
          `${int(a.n)} / ${int(w.n)}`,
          group === Object.keys(entry.alone)[0]
            ? `${entry.big.ok}/${entry.big.calls}${entry.big.wrong ? `, ${entry.big.wrong} wrong` : ''}`
            : '',
          group === Object.keys(entry.alone)[0] ? `${fmt(entry.big.ms.p50)} ms, ${fmt(entry.big.mbPerSec, 1)} MB/s` : '',
          group === Object.keys(entry.alone)[0] && entry.gatewayCpu ? fmt(entry.gatewayCpu.perBigMs, 1) : '',
          group === Object.keys(entry.alone)[0]
            ? `${fmt(entry.gatewayRssMb.before)} → ${fmt(entry.gatewayRssMb.after)} (peak ${fmt(entry.gatewayRssMb.peak)})`
            : '',
        ]);
      }
    }
  }
  if (rows.length === 0) return;
  console.log(
    `\nLarge answers: small echo calls alone, and beside one session receiving ${int(bigBytes)}-character answers one after another (ms)`,
  );
  console.log(
    table(
      [
        'row',
        'small calls on',
        'alone p50/p99/max',
        'beside big p50/p99/max',
        'calls alone/beside',
        'big ok',
        'big p50, rate',
        'CPU ms/big',
        'serving RSS MB',
      ],
      rows,
    ),
  );
  for (const [name, entries] of Object.entries(big ?? {})) {
    for (const entry of entries) {
      if (entry.big?.errors?.length)
        console.log(`- ${name} ${entry.label}: big answers failed: ${entry.big.errors.slice(0, 2).join('; ')}`);
      if (entry.smallFailures?.alone || entry.smallFailures?.withBig)
        console.log(
          `- ${name} ${entry.label}: small calls failed: ${entry.smallFailures.alone} alone, ${entry.smallFailures.withBig} beside big; ${JSON.stringify(entry.smallFailures.examples[0])}`,
        );
    }
  }
}

function printCancel(cancel) {
  const rows = [];
  for (const [name, combos] of Object.entries(cancel ?? {})) {
    for (const combo of combos) {
      rows.push([
        name,
        `${combo.endpoint}${combo.batch ? ' (batch_execute)' : ''}`,
        combo.mode,
        `${combo.cancelled}/${combo.trials}`,
        combo.processEnded || '',
        combo.ranToEnd || '',
        combo.other
          ? `${combo.other}: ${[...new Set(combo.results.filter((r) => !['cancelled', 'process ended', 'ran to the end'].includes(r.outcome)).map((r) => r.error ?? r.outcome))].join('; ').slice(0, 80)}`
          : '',
        fmt(combo.maxDelayMs),
      ]);
    }
  }
  if (rows.length === 0) return;
  console.log('\nClients that leave mid-call: what the upstream `work` saw (cancelled = it received notifications/cancelled)');
  console.log(table(['target', 'endpoint', 'client', 'cancelled', 'process ended', 'ran to the end', 'other', 'max delay ms'], rows));
}

/** The reading session's check after the window, short: answered, no answer in time, or the error's message. */
function readerOutcome(text) {
  if (text === 'answered') return text;
  const timeout = /no answer after (\d+) ms/.exec(text);
  if (timeout) return `no answer in ${Number(timeout[1]) / 1000} s`;
  const message = /"message":"([^"]+)"/.exec(text);
  return `failed: ${(message ? message[1] : text.replace(/^failed: /, '')).slice(0, 40)}`;
}

function printStalled(stalled, settings) {
  const rows = [];
  for (const [name, t] of Object.entries(stalled.targets ?? {})) {
    if (t.error) {
      rows.push([name, `error: ${t.error}`]);
      continue;
    }
    const closed = t.closedAfterS.length ? ` (${fmt(t.closedAfterS[0], 1)}–${fmt(t.closedAfterS.at(-1), 1)} s)` : '';
    rows.push([
      name,
      `${t.sent}/${t.posts}`,
      `${fmt(t.rssMb.before)} / ${fmt(t.rssMb.peak)} / ${fmt(t.rssMb.end)}`,
      t.rssMb.slopeLastHalfPerMin === undefined
        ? '–'
        : `${t.rssMb.slopeLastHalfPerMin >= 0 ? '+' : ''}${fmt(t.rssMb.slopeLastHalfPerMin, 1)}`,
      `${fmt(t.treeRssMb.before)} / ${fmt(t.treeRssMb.peak)} / ${fmt(t.treeRssMb.end)}`,
      `${t.answersBegun}/${t.sent}`,
      `${t.closedByServer}/${t.sent}${closed}`,
      `${t.afterResume.ended}/${t.sent}`,
      readerOutcome(t.readerAfter),
      t.log ? `${t.log.closingLines}` : 'n/a',
    ]);
  }
  if (rows.length === 0) return;
  console.log(
    `\nClients that stop reading: ${settings.posts} POSTs on one session, each a ${int(settings.bytes)}-character answer never read, ${settings.seconds} s from the first`,
  );
  console.log(
    table(
      [
        'row',
        'sent',
        'RSS MB before/peak/end',
        'slope last half MB/min',
        'with children before/peak/end',
        'answer bytes queued at end',
        'closed by server in window',
        'ended after resume',
        'echo on the reading session',
        'daemon "not reading" lines',
      ],
      rows,
    ),
  );
  for (const [name, t] of Object.entries(stalled.targets ?? {})) {
    if (t.sendErrors?.length) console.log(`- ${name}: POSTs not sent: ${t.sendErrors.slice(0, 2).join('; ')}`);
    if (t.exited) console.log(`- ${name}: the serving process exited during the window`);
    if (t.log?.examples?.length) console.log(`- ${name} logged: ${t.log.examples[0]}`);
  }
  if (stalled.skippedRows?.length) console.log(`- not measured (no Streamable HTTP endpoint): ${stalled.skippedRows.join(', ')}`);
}

function printStops(label, stops) {
  for (const [name, entry] of Object.entries(stops ?? {})) {
    if (entry.orphans.length > 0 || (entry.wasRunning && entry.exitMs === undefined)) {
      console.log(
        `- ${label}, ${name}: ${entry.exitMs === undefined ? 'did not exit after SIGTERM; ' : ''}${entry.orphans.length} orphan(s) ${entry.orphans.map((orphan) => orphan.pid).join(', ')}`,
      );
    }
  }
}

/** Prints every figure of a run (`results` as run.mjs assembles it, also what --json writes). */
export function printReport(results) {
  const stale = results.staleBuild?.length
    ? ` (STALE BUILD: dist/ is older than the sources of the ${results.staleBuild.join(' and ')})`
    : '';
  console.log(
    `soak bench: commit ${results.commit}${results.dirty ? ' (+ uncommitted changes)' : ''}${stale}, ${results.date}, Node ${results.node}, ${results.cpus} CPU(s) (${results.cpuModel})`,
  );
  console.log(`command: ${results.command}`);
  console.log(
    `load average before ${results.loadAverageBefore.map((value) => value.toFixed(2)).join(' ')}, after ${results.loadAverageAfter.map((value) => value.toFixed(2)).join(' ')}`,
  );
  for (const failed of [
    ...(results.short?.failedToStart ?? []),
    ...(results.soak?.failedToStart ?? []),
    ...(results.stalled?.failedToStart ?? []),
  ])
    console.log(`- ${failed.name}: could not start: ${failed.error}`);
  if (results.soak) printSoak(results.soak, results.profile);
  if (results.short) {
    printBig(results.short.big, results.bigBytes);
    printCancel(results.short.cancel);
    printStops('after the large-answer and cancellation phases', results.short.stops);
  }
  if (results.stalled) {
    printStalled(results.stalled, results.stalledSettings);
    printStops('after the stalled-client phase', results.stalled.stops);
  }
  console.log(
    '\nNot applicable to the peers: the aggregated endpoints (/mcp, /sse) and batch_execute (neither has them); they serve one server each.',
  );
  if (results.leftovers.length > 0)
    console.log(`\nWARNING: processes still alive after the run, killed now: ${results.leftovers.join(', ')}`);
}

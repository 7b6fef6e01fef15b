// Sections of the HTML report other than the findings: the run summary (with timings and
// counts), the corpus table, the fixed findings, the buckets still open unseen and the fuzz plots. Every value from the
// report goes through esc(); numbers are formatted locale-free.
import { corpusReprosHtml } from './htmlCorpusRepros.js';
import { formatBytes, formatCompact, formatDuration, formatInt } from './format.js';
import { esc, traceAsNamed, traceHtml, type TraceRefOf } from './htmlEscape.js';
import { ruleHtml } from './htmlRule.js';
import {
  disabledOf,
  rerunFacts,
  type NightlyRendered,
  type NightlyReport,
  type SamplePoint,
} from './nightlySchema.js';
import { DAMAGE_NOTE } from './replayReport.js';
import { hasUnlisted } from './knownViolations.js';
import { linePlot } from './plot.js';
import { plural } from '../core/plural.js';
import { BASE_ONLY } from '../fuzz/reached.js';

type Row = readonly [string, string];

/** A two-column table of already-escaped cells, row headers in <th scope="row">. */
function factTable(caption: string, rows: readonly Row[], numeric = false): string {
  const td = numeric ? '<td class="num">' : '<td>';
  return [
    `<table><caption>${esc(caption)}</caption>`,
    ...rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th>${td}${v}</td></tr>`),
    '</table>',
  ].join('\n');
}

const RERUN_LABELS: Readonly<Record<string, string>> = {
  budget: 'Fuzz budget',
  runsEquivalent: '--runs that reproduces the cases',
  callsMax: 'Calls per case at most (--calls-max)',
  rounds: 'Cases per round (--rounds)',
  timeoutMs: 'Call timeout, ms (--timeout)',
  workerHeapMb: 'Worker heap limit, MiB (--worker-heap-mb)',
  rssLimitMb: 'Process target memory limit, MiB (--rss-limit-mb; 0: none)',
  baseId: 'Base corpus id',
};

function runRows(r: NightlyRendered): Row[] {
  const rows: Row[] = [
    ['Seed', `<code>${esc(r.seed)}</code>`],
    ['Target', `<code>${esc(r.target)}</code>`],
    ['Oracle profile', esc(r.profile)],
    ['vpdma version', esc(r.vpdmaVersion)],
    ['Model revision', `<code>${esc(r.modelRevision)}</code>`],
    ...(r.buildRevision === undefined
      ? []
      : [['Build revision', `<code>${esc(r.buildRevision)}</code>`] satisfies Row]),
    ['Started', esc(r.startedAt)],
  ];
  if (r.shard !== undefined) rows.push(['Shard', esc(r.shard)]);
  if (r.shards !== undefined) rows.push(['Shards merged', esc(r.shards.join(', '))]);
  for (const [k, v] of rerunFacts(r)) rows.push([RERUN_LABELS[k] ?? k, `<code>${esc(v)}</code>`]);
  const disabled = disabledOf(r);
  if (disabled.length > 0)
    rows.push(['Disabled (--disable)', `<code>${esc(disabled.join(','))}</code>`]);
  rows.push(
    ['Fuzz cases', formatInt(r.fuzz.cases)],
    ['Fuzz calls', formatInt(r.fuzz.calls)],
    ['Coverage', formatInt(r.fuzz.coverage)],
    ...(r.fuzz.branches === undefined
      ? []
      : [['Model branches', formatInt(r.fuzz.branches)] as Row]),
    ['Corpus size', `${formatInt(r.fuzz.corpusSize)} (${formatInt(r.fuzz.newCorpusEntries)} new)`],
    ['Workers', formatInt(r.timing.workers)],
    ['Peak RSS', formatBytes(r.timing.peakRssBytes)],
  );
  return rows;
}

function timingRows(r: NightlyReport): Row[] {
  const t = r.timing;
  return [
    ['Corpus replay', formatDuration(t.replayMs)],
    ['Fuzz', formatDuration(t.fuzzMs)],
    ['Minimize', formatDuration(t.minimizeMs)],
    ['Reports', formatDuration(t.reportMs)],
    ['Wall time', formatDuration(t.wallMs)],
  ];
}

function countRows(r: NightlyReport): Row[] {
  // Known ones (--known) are counted on their own rows, not among the statuses.
  const counted = r.findings.filter((f) => f.known !== true);
  const by = (s: string): string => formatInt(counted.filter((f) => f.status === s).length);
  const c = r.corpus.summary;
  const knownFound = r.findings.length - counted.length;
  return [
    ['New findings', by('new')],
    ['Open findings', by('open')],
    ['Regressed findings', by('regressed')],
    ...(knownFound > 0
      ? [['Known findings (--known), not counted', formatInt(knownFound)] as Row]
      : []),
    ...(c.known !== undefined && c.known > 0
      ? [['Known corpus violations (--known), not counted', formatInt(c.known)] as Row]
      : []),
    ['Fixed since last run', formatInt(r.fixed.length)],
    ...((r.stillOpen ?? []).length > 0
      ? [['Still open, not seen this run', formatInt(r.stillOpen?.length ?? 0)] as Row]
      : []),
    ...(r.stillFailing.length > 0
      ? [['Earlier findings whose repro still fails', formatInt(r.stillFailing.length)] as Row]
      : []),
    ...((r.regressedByReplay ?? []).length > 0
      ? [
          [
            'Regressed, seen again by a replayed trace only',
            formatInt(r.regressedByReplay?.length ?? 0),
          ] as Row,
        ]
      : []),
    ...((r.reprosChanged ?? []).length > 0
      ? [
          [
            'Earlier findings whose repro now fails another way',
            formatInt(r.reprosChanged?.length ?? 0),
          ] as Row,
        ]
      : []),
    ...corpusStatusRows(r),
    ['Corpus traces passed', formatInt(c.passed)],
    ['Corpus traces with violations', formatInt(c.failed)],
    ['Corpus traces crashed', formatInt(c.crashed)],
    ['Corpus traces timed out', formatInt(c.timedOut)],
    ['Corpus traces unreadable', formatInt(c.invalid)],
    ...(c.damaged > 0
      ? [['Corpus traces damaged (replayed up to the damage)', formatInt(c.damaged)] as Row]
      : []),
  ];
}

/** The failing corpus traces by --history's verdict (none in a report older than them). */
function corpusStatusRows(r: NightlyReport): Row[] {
  const judged = r.corpus.traces.filter((t) => t.status !== undefined);
  if (judged.length === 0) return [];
  const by = (s: string): string => formatInt(judged.filter((t) => t.status === s).length);
  return [
    ['Failing corpus traces, new', by('new')],
    ['Failing corpus traces, open', by('open')],
    ['Failing corpus traces, regressed', by('regressed')],
  ];
}

export function summarySection(r: NightlyRendered): string {
  return [
    '<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>',
    '<div class="grid2">',
    factTable('Run', runRows(r)),
    factTable('Timings per phase', timingRows(r), true),
    factTable('Counts by status', countRows(r), true),
    '</div></section>',
  ].join('\n');
}

/** `docs`: where vpdma's docs/ is (its install), for the stricter links (htmlRule.ts). */
export function corpusSection(
  r: NightlyReport,
  refOf: TraceRefOf = traceAsNamed,
  docs?: string,
): string {
  // --known: the traces whose violations are all known fail nothing; marked so.
  const knownIn = new Map<string, boolean>();
  for (const v of r.corpus.violations)
    knownIn.set(v.trace, (knownIn.get(v.trace) ?? true) && v.known === true);
  const rows = r.corpus.traces.map((t) => {
    const note =
      t.error ??
      (t.damage === undefined ? undefined : `${t.damage}: ${DAMAGE_NOTE}`) ??
      (t.detachedAt === undefined ? '' : `detached at call ${t.detachedAt}`);
    // --history's verdict on a failing trace, as a finding's status (its signature as a title).
    const status =
      t.status === undefined
        ? ''
        : ` <span class="status status-${esc(t.status)}" title="${esc(t.signature ?? '')}">${esc(t.status)}</span>`;
    const known =
      knownIn.get(t.trace) === true && !hasUnlisted(t)
        ? ' <span class="status status-known" title="every violation known (--known): not counted">known</span>'
        : '';
    return [
      `<tr><td>${traceHtml(refOf(t.trace))}</td>`,
      `<td class="outcome-${esc(t.outcome)}">${esc(t.outcome)}${status}${known}</td>`,
      `<td class="num">${formatInt(t.calls)}</td><td class="num">${formatInt(t.violations)}</td>`,
      `<td>${esc(note)}</td></tr>`,
    ].join('');
  });
  // Placed as `vpdma replay` places it: `trace:LINE (call N)` where the file has lines.
  const violations = r.corpus.violations.map((v) => {
    const call = `call ${formatInt(v.callIndex)}`;
    const at =
      v.line === undefined
        ? `<code>${esc(refOf(v.trace).text)}</code> ${call}`
        : `<code>${esc(refOf(v.trace).text)}:${v.line}</code> (${call})`;
    const known = v.known === true ? '<span class="status status-known">known</span> ' : '';
    return `<li>${known}${at} (<code>${esc(v.fn)}</code>): <strong>${esc(v.kind)}</strong>: ${esc(v.message)}${ruleHtml(v, docs)}</li>`;
  });
  const skipped = r.corpus.notReplayed ?? [];
  const budget = r.corpus.budgetReplay === undefined ? '' : ` ${r.corpus.budgetReplay}`;
  const notReplayed =
    skipped.length === 0
      ? []
      : [
          `<h3>Not replayed (${formatInt(skipped.length)}): <code>--budget-replay${esc(budget)}</code> ran out first</h3><ul>`,
          ...skipped.map(
            (t) =>
              `<li><code>${esc(refOf(t.trace).text)}</code>${t.regression === true ? ": <strong>an earlier finding's repro, not checked</strong>" : ''}</li>`,
          ),
          '</ul>',
        ];
  return [
    '<section id="corpus" aria-labelledby="corpus-h">',
    `<h2 id="corpus-h">Corpus (${plural(r.corpus.traces.length, 'trace', formatInt(r.corpus.traces.length))}${skipped.length === 0 ? '' : `, ${formatInt(skipped.length)} not replayed`})</h2>`,
    '<table><thead><tr><th scope="col">Trace</th><th scope="col">Outcome</th>',
    '<th scope="col" class="num">Calls</th><th scope="col" class="num">Violations</th>',
    '<th scope="col">Note</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    ...(violations.length === 0 ? [] : ['<h3>Corpus violations</h3><ul>', ...violations, '</ul>']),
    ...corpusReprosHtml(r, refOf),
    ...notReplayed,
    '</section>',
  ].join('\n');
}

export function fixedSection(r: NightlyReport): string {
  const head = `<section id="fixed" aria-labelledby="fixed-h"><h2 id="fixed-h">Fixed (${formatInt(r.fixed.length)})</h2>`;
  if (r.fixed.length === 0)
    return `${head}\n<p>Nothing was fixed in this run (or no --history was given).</p></section>`;
  const rows = r.fixed.map(
    (f) =>
      `<tr><td><code>${esc(f.signature)}</code></td><td>${esc(f.kind)}</td><td><code>${esc(f.fn)}</code></td><td>${esc(f.firstSeen)}</td><td>${esc(f.lastSeen)}</td><td><span class="status status-fixed">fixed</span> ${esc(f.fixedSince)}</td></tr>`,
  );
  return [
    head,
    '<table><thead><tr><th scope="col">Signature</th><th scope="col">Kind</th>',
    '<th scope="col">Function</th><th scope="col">First seen</th><th scope="col">Last seen</th>',
    '<th scope="col">Fixed since</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></section>',
  ].join('\n');
}

/**
 * The buckets still open that nothing showed this run (report.json's stillOpen), each with why:
 * without a row here one would vanish from the page until fixed. No lines when there are none.
 */
export function stillOpenSection(r: NightlyReport): string[] {
  const open = r.stillOpen ?? [];
  if (open.length === 0) return [];
  const rows = open.map(
    (x) =>
      `<tr><td><code>${esc(x.signature)}</code></td><td>${esc(x.kind)}</td><td><code>${esc(x.fn)}</code></td><td>${esc(x.firstSeen)}</td><td>${esc(x.lastSeen)}</td><td><span class="status status-open">open</span> ${esc(x.why)}</td></tr>`,
  );
  return [
    `<section id="${STILL_OPEN_ID}" aria-labelledby="${STILL_OPEN_ID}-h"><h2 id="${STILL_OPEN_ID}-h">Still open, not seen (${formatInt(open.length)})</h2>`,
    '<p>Earlier failures nothing showed this run (no finding, no replayed trace failing with them) that the run did not mark fixed.</p>',
    '<table><thead><tr><th scope="col">Signature</th><th scope="col">Kind</th>',
    '<th scope="col">Function</th><th scope="col">First seen</th><th scope="col">Last seen</th>',
    '<th scope="col">Why still open</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></section>',
  ];
}

/** The still-open section's id (html.ts links it when the section is there). */
export const STILL_OPEN_ID = 'still-open';

export function plotsSection(r: NightlyReport): string {
  const s = r.fuzz.series;
  const plot = (id: string, title: string, yLabel: string, y: (p: SamplePoint) => number): string =>
    `<figure>${linePlot({ id, title, xLabel: 'seconds since the fuzz phase started', yLabel, points: s.map((p) => [p.t, y(p)] as const) })}</figure>`;
  return [
    '<section id="fuzz" aria-labelledby="fuzz-h"><h2 id="fuzz-h">Fuzz campaign</h2>',
    `<p>${plural(r.fuzz.cases, 'case', formatInt(r.fuzz.cases))}, ${plural(r.fuzz.calls, 'call', formatInt(r.fuzz.calls))} (${formatCompact(r.fuzz.calls / Math.max(r.timing.fuzzMs / 1000, 1e-3))} calls/s on average), coverage ${formatInt(r.fuzz.coverage)}${r.fuzz.calls > 0 ? '' : BASE_ONLY}; ${plural(s.length, 'sample', formatInt(s.length))}.</p>`,
    '<div class="grid2">',
    plot('plot-cases', 'Cases per second', 'cases/s', (p) => p.casesPerSecond),
    plot('plot-calls', 'Calls per second', 'calls/s', (p) => p.callsPerSecond),
    plot('plot-coverage', 'Coverage', 'coverage points', (p) => p.coverage),
    // Beside the keys, which keep growing: the branches level off when the campaign saturates.
    ...(r.fuzz.branches === undefined
      ? []
      : [plot('plot-branches', 'Model branches', 'branches', (p) => p.branches ?? 0)]),
    '</div></section>',
  ].join('\n');
}

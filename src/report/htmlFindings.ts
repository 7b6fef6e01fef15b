// The findings section of the HTML report: one <article> per finding with its status, facts,
// the replay command (with a copy button) and the minimized repro in the text format, the
// failing call marked. Element ids come from the finding's position, never from its strings.
import { plural } from '../core/plural.js';
import { shortSignature } from './command.js';
import { formatInt } from './format.js';
import { esc, pathHref } from './htmlEscape.js';
import { ruleHtml } from './htmlRule.js';
import type { Finding, NightlyReport } from './nightlySchema.js';

/** The repro text escaped, its `callIndex`-th call line (not a directive/comment) in <mark>. */
export function reproHtml(text: string, callIndex: number): string {
  let call = -1;
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => {
      const isCall = line.trim() !== '' && !line.trimStart().startsWith('#');
      if (isCall) call++;
      return isCall && call === callIndex
        ? `<mark title="failing call">${esc(line)}</mark>`
        : esc(line);
    })
    .join('\n');
}

function facts(f: Finding): string {
  const history = [
    f.firstSeen === undefined ? '' : `first seen ${f.firstSeen}`,
    f.timesSeen === undefined ? '' : `seen in ${formatInt(f.timesSeen)} run(s)`,
  ].filter((s) => s !== '');
  const rows: [string, string][] = [
    ['Status', `${esc(f.status)}${history.length === 0 ? '' : ` (${esc(history.join(', '))})`}`],
    ['Signature', `<code>${esc(f.signature)}</code>`],
    ['Reproduced', esc(f.reproduced)],
    [
      'Repro',
      `<a href="${pathHref(f.trace)}">${esc(f.trace)}</a>: ${plural(f.reproCalls, 'call', formatInt(f.reproCalls))} (minimized from ${formatInt(f.originalCalls)}), fails at call ${formatInt(f.callIndex)}`,
    ],
    ['Found by', `seed <code>${esc(f.seed)}</code>, case ${formatInt(f.caseIndex)}`],
  ];
  return [
    '<dl class="facts">',
    ...rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`),
    '</dl>',
  ].join('\n');
}

/**
 * Every violation at the failing call, when there is more than the one the finding is named
 * after (a call that wrote both *Length and *VirtualAddress): fixing one leaves the others.
 */
function atCallList(f: Finding, docs?: string): string[] {
  const all = f.violationsAtCall ?? [];
  if (all.length < 2) return [];
  return [
    `<p>All ${formatInt(all.length)} violations at call ${formatInt(f.callIndex)}:</p>`,
    '<ul class="at-call">',
    ...all.map(
      (v) =>
        `<li><strong>${esc(v.kind)}</strong>${v.field === undefined ? '' : ` (<code>${esc(v.field)}</code>)`}: ${esc(v.message)}${ruleHtml(v, docs)}</li>`,
    ),
    '</ul>',
  ];
}

function findingArticle(f: Finding, i: number, docs?: string): string {
  const id = `finding-${i + 1}`;
  // The rule of the violation the finding is named after (the first at its call).
  const lead = f.violationsAtCall?.[0];
  return [
    `<article class="finding" id="${id}" aria-labelledby="${id}-h">`,
    `<h3 id="${id}-h">${f.known === true ? '<span class="status status-known">known</span> ' : ''}<span class="status status-${esc(f.status)}">${esc(f.status)}</span> <code class="sig">${esc(shortSignature(f.signature))}</code> ${esc(f.kind)} in <code>${esc(f.fn)}</code></h3>`,
    `<p class="message">${esc(f.message)}${lead === undefined ? '' : ruleHtml(lead, docs)}</p>`,
    ...atCallList(f, docs),
    facts(f),
    `<h4 id="${id}-cmd-h">Reproduce</h4>`,
    '<div class="command">',
    `<pre aria-labelledby="${id}-cmd-h"><code id="${id}-cmd">${esc(f.command)}</code></pre>`,
    `<button type="button" data-copy="${id}-cmd" aria-label="Copy the replay command of finding ${i + 1}">Copy</button>`,
    `<span id="${id}-cmd-status" role="status" aria-live="polite"></span>`,
    '</div>',
    `<h4 id="${id}-repro-h">Minimized repro (${plural(f.reproCalls, 'call', formatInt(f.reproCalls))}, text format)</h4>`,
    `<pre class="repro" id="${id}-repro" aria-labelledby="${id}-repro-h">${reproHtml(f.reproText, f.callIndex)}</pre>`,
    '</article>',
  ].join('\n');
}

/**
 * A merge's originals from shards killed before their reports (report.json's
 * killedShardOriginals): no finding of the merge, but the one record of what those shards met.
 */
function killedOriginalsHtml(r: NightlyReport): string[] {
  const all = r.killedShardOriginals ?? [];
  if (all.length === 0) return [];
  const link = (f: string): string => `<a href="${pathHref(f)}">${esc(f)}</a>`;
  return [
    `<h3 id="killed-originals-h">Originals from killed shards (${formatInt(all.length)})</h3>`,
    '<p>Cases as they ran of the bugs a shard met before it was killed (and the repro it had minimized, if it had), copied into findings/; not counted above.</p>',
    '<ul aria-labelledby="killed-originals-h">',
    ...all.map(
      (o) =>
        `<li><code class="sig">${esc(o.signature)}</code>, shard ${esc(o.shard)}: ${o.files.map(link).join(', ')}${o.repro === undefined ? '' : `; minimized repro: ${link(o.repro)}`}</li>`,
    ),
    '</ul>',
  ];
}

/** `docs`: where vpdma's docs/ is (its install), for the stricter links (htmlRule.ts). */
export function findingsSection(r: NightlyReport, docs?: string): string {
  const head = `<section id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Findings (${formatInt(r.findings.length)})</h2>`;
  const killed = killedOriginalsHtml(r);
  if (r.findings.length === 0)
    return [
      `${head}\n<p>The fuzz campaign${killed.length === 0 ? '' : ' of the shards given'} found no violation.</p>`,
      ...killed,
      '</section>',
    ].join('\n');
  return [
    head,
    ...r.findings.map((f, i) => findingArticle(f, i, docs)),
    ...killed,
    '</section>',
  ].join('\n');
}

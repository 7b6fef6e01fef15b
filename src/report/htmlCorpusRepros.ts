// The corpus section's repros of the HTML report: each failing corpus trace the night
// minimized (one per kind and function of the first violation), with the trace it came from,
// its replay command and its text, the failing call marked; and, when --minimize-time ran out
// or a signal came before every one was done, what that left: the rest not minimized, or only
// the last one cut short.
import { plural } from '../core/plural.js';
import { formatInt } from './format.js';
import { esc, pathHref, traceHtml, type TraceRefOf } from './htmlEscape.js';
import { reproHtml } from './htmlFindings.js';
import type { CorpusRepro, NightlyReport } from './nightlySchema.js';

function notes(x: CorpusRepro): string {
  const said = [
    ...(x.exhausted ? ['cut short: it fails, but may not be 1-minimal'] : []),
    ...(x.reproduced ? [] : ['it did not fail again when replayed once more (a flaky target?)']),
  ];
  return said.length === 0 ? '' : ` <strong>${esc(said.join('; '))}</strong>.`;
}

function item(x: CorpusRepro, refOf: TraceRefOf): string {
  return [
    `<li><a href="${pathHref(x.trace)}">${esc(x.trace)}</a>: <strong>${esc(x.kind)}</strong> in <code>${esc(x.fn)}</code>,`,
    `${plural(x.reproCalls, 'call', formatInt(x.reproCalls))}, fails at call ${formatInt(x.callIndex)}; minimized from`,
    `${traceHtml(refOf(x.from))} (${plural(x.fromCalls, 'call', formatInt(x.fromCalls))}).${notes(x)}`,
    `<br><code>${esc(x.command)}</code>`,
    `<pre class="repro">${reproHtml(x.reproText, x.callIndex)}</pre></li>`,
  ].join('\n');
}

/** What the stop left: none but the last one cut short, some (how many, if known). */
function stopNote(c: NightlyReport['corpus']): string {
  const left = c.minimizeLeft;
  if (left === 0)
    return ' during the last one: its repro was written as it stood (cut short), and none was left unminimized';
  if (left === undefined) return ': those left were not minimized';
  return `: ${plural(left, 'failing trace', formatInt(left))} left not minimized (each keeps its <code>vpdma minimize</code> command)`;
}

/** The repros' heading and list, and the stop note; nothing when there is neither. */
export function corpusReprosHtml(r: Pick<NightlyReport, 'corpus'>, refOf: TraceRefOf): string[] {
  const repros = r.corpus.repros ?? [];
  const stopped =
    r.corpus.minimizeStoppedBy === undefined
      ? []
      : [
          `<p>Minimizing the failing corpus traces stopped (${r.corpus.minimizeStoppedBy === 'time' ? '<code>--minimize-time</code> spent' : 'interrupted'})${stopNote(r.corpus)}.</p>`,
        ];
  if (repros.length === 0) return stopped;
  return [
    `<h3>Repros minimized from corpus traces (${formatInt(repros.length)})</h3>`,
    '<ul class="corpus-repros">',
    ...repros.map((x) => item(x, refOf)),
    '</ul>',
    ...stopped,
  ];
}

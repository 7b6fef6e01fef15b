// report.html of `vpdma nightly`: one self-contained page (inline CSS, script and SVG; a CSP
// that forbids every request), readable from file://. Sections: summary, findings, fixed,
// still open (when some are), corpus, fuzz plots. Untrusted strings are escaped where they are written (htmlEscape.ts);
// the same report object always renders to the same bytes.
import { reachedSection } from './htmlReached.js';
import { formatInt } from './format.js';
import { CSP, CSS, SCRIPT } from './htmlAssets.js';
import { esc, traceAsNamed, type TraceRefOf } from './htmlEscape.js';
import { findingsSection } from './htmlFindings.js';
import { recoveredText } from './historyRecovered.js';
import {
  corpusSection,
  fixedSection,
  plotsSection,
  STILL_OPEN_ID,
  stillOpenSection,
  summarySection,
} from './htmlParts.js';
import { disabledOf, shardsText, type NightlyRendered } from './nightlySchema.js';
import { plural } from '../core/plural.js';

/** The sections, in page order; the still-open one only when there is one. */
function sections(r: NightlyRendered): (readonly [string, string])[] {
  return [
    ['summary', 'Summary'],
    ['findings', 'Findings'],
    ['fixed', 'Fixed'],
    ...((r.stillOpen ?? []).length > 0 ? [[STILL_OPEN_ID, 'Still open'] as const] : []),
    ['corpus', 'Corpus'],
    ['fuzz', 'Fuzz campaign'],
  ];
}

function header(r: NightlyRendered): string {
  const n = r.findings.length;
  const disabled = disabledOf(r);
  const v = r.corpus.summary.violations;
  const lead = `${plural(n, 'finding', formatInt(n))}, ${plural(v, 'corpus violation', formatInt(v))}`;
  return [
    '<header>',
    `<h1>vpdma ${esc(r.command)} report</h1>`,
    `<p>${esc(lead)} against <code>${esc(r.target)}</code> (profile ${esc(r.profile)}), seed <code>${esc(r.seed)}</code>, started ${esc(r.startedAt)}.</p>`,
    disabled.length === 0
      ? ''
      : `<p>Never called (--disable): ${disabled.map((fn) => `<code>${esc(fn)}</code>`).join(', ')}.</p>`,
    (r.shardsMissing ?? []).length > 0
      ? `<p class="banner" role="alert">This merge ${r.mergeInterrupted === true ? 'was interrupted (its corpus copy stopped) and ' : ''}is missing ${esc(shardsText(r.shardsMissing ?? []))}: counts cover the shards given and nothing was marked fixed.</p>`
      : r.interrupted
        ? '<p class="banner" role="alert">This run was interrupted: counts are partial and nothing was marked fixed.</p>'
        : '',
    r.historyRecovered === undefined
      ? ''
      : `<p class="banner" role="note">History recovered (--history-recover): ${esc(recoveredText(r.historyRecovered))}.</p>`,
    '<nav aria-label="Sections"><ul>',
    ...sections(r).map(([id, label]) => `<li><a href="#${id}">${label}</a></li>`),
    '</ul></nav>',
    '</header>',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

/**
 * The whole page. `refOf`: how a replayed trace is shown and where its link points from the
 * page (the report names traces from where the run started; the page sits in --out). `docs`:
 * the directory vpdma's docs/ is in, for the stricter-than-documented links (htmlRule.ts);
 * without it they point to the docs path as cited.
 */
export function nightlyHtml(
  r: NightlyRendered,
  refOf: TraceRefOf = traceAsNamed,
  docs?: string,
): string {
  const title = `vpdma ${r.command}: ${plural(r.findings.length, 'finding')}, ${r.target}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    header(r),
    '<main>',
    summarySection(r),
    findingsSection(r, docs),
    fixedSection(r),
    ...stillOpenSection(r),
    corpusSection(r, refOf, docs),
    plotsSection(r),
    reachedSection(r),
    '</main>',
    `<footer class="muted"><p>vpdma ${esc(r.vpdmaVersion)}, model revision <code>${esc(r.modelRevision)}</code>${r.buildRevision === undefined ? '' : `, build revision <code>${esc(r.buildRevision)}</code>`}.</p></footer>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

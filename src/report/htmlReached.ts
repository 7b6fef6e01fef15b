// The HTML report's table of what the fuzz campaign reached, by function (docs/fuzzing.md,
// "What was reached"). Every value from the report goes through esc().
import { formatInt } from './format.js';
import { esc } from './htmlEscape.js';
import type { NightlyReport } from './nightlySchema.js';
import { plural } from '../core/plural.js';

const names = (list: readonly string[]): string =>
  list.length === 0
    ? '<span class="muted">none</span>'
    : list.map((b) => `<code>${esc(b)}</code>`).join(', ');

/** Empty for a report without the table (an older one). */
export function reachedSection(r: NightlyReport): string {
  const table = r.fuzz.reached;
  if (table === undefined) return '';
  const never = r.fuzz.unreached ?? [];
  const rows = Object.entries(table).map(([fn, f]) =>
    [
      `<tr><th scope="row"><code>${esc(fn)}</code></th>`,
      `<td>${names(f.branches)}</td><td>${names(f.misuse)}</td>`,
      `<td class="num" title="${esc(f.states.join('\n'))}">${formatInt(f.states.length)}</td></tr>`,
    ].join(''),
  );
  return [
    '<section id="reached" aria-labelledby="reached-h">',
    `<h2 id="reached-h">Reached (${plural(Object.keys(table).length, 'function and event', undefined, 'functions and events')})</h2>`,
    `<p>The model's branches each function's calls took, the misuse branches (calls that broke the API's rules) and how many live states they were made in (hover for the list), ${r.fuzz.calls > 0 ? 'over the base corpus and every case' : 'over the base corpus alone: no call was made'}. ${never.length === 0 ? 'Every function was reached.' : `Never reached: ${names(never)}.`}</p>`,
    '<table><thead><tr><th scope="col">Function</th><th scope="col">Branches</th>',
    '<th scope="col">Misuse</th><th scope="col" class="num">Live states</th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
    '</section>',
  ].join('\n');
}

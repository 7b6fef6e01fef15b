import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  HOSTILE,
  hostileNightlyFixture,
  nightlyFixture,
  RECOVERED,
  RECOVERED_TEXT,
  STILL_OPEN,
  withoutBuildRevision,
} from '../../test/support/reportFixtures.js';
import { nightlyHtml } from './html.js';
import { CSP } from './htmlAssets.js';
import { esc, pathHref } from './htmlEscape.js';
import { reproHtml } from './htmlFindings.js';
import type { NightlyReport } from './nightlySchema.js';

const withoutStillOpen = (r: NightlyReport): NightlyReport => {
  const { stillOpen, ...older } = r;
  void stillOpen;
  return older;
};
const count = (text: string, needle: RegExp): number => text.match(needle)?.length ?? 0;
const between = (text: string, open: string, close: string): string =>
  text.slice(text.indexOf(open) + open.length, text.indexOf(close));

describe('report.html', () => {
  const report = nightlyFixture();
  const html = nightlyHtml(report);

  it('renders the same bytes for the same report', () => {
    expect(nightlyHtml(nightlyFixture())).toBe(html);
  });

  it('is self-contained: no external resource, one inline style and one inline script', () => {
    expect(html).not.toMatch(/<link|<iframe|<img|<object|<embed|@import|url\(|src=/i);
    expect(html).not.toMatch(/href="(?!#|corpus\/|findings\/)/);
    expect(count(html, /<script/g)).toBe(1);
    expect(count(html, /<style/g)).toBe(1);
  });

  it('admits its style and script by hash in a CSP that forbids everything else', () => {
    const hash = (s: string): string => createHash('sha256').update(s).digest('base64');
    expect(CSP).toContain("default-src 'none'");
    expect(CSP).toContain(`'sha256-${hash(between(html, '<style>', '</style>'))}'`);
    expect(CSP).toContain(`'sha256-${hash(between(html, '<script>', '</script>'))}'`);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">`);
  });

  it('says what --history-recover did in a notice under the heading, and only then', () => {
    expect(html).not.toContain('History recovered');
    const page = nightlyHtml({ ...report, historyRecovered: RECOVERED });
    const notice = `<p class="banner" role="note">History recovered (--history-recover): ${esc(RECOVERED_TEXT)}.</p>`;
    expect(page).toContain(`</p>\n${notice}\n<nav`);
    expect(page).not.toContain('<h>');
  });

  it('counts one of a thing in the singular', () => {
    const one = nightlyFixture();
    const single = {
      ...one,
      findings: one.findings.slice(0, 1),
      corpus: { ...one.corpus, traces: one.corpus.traces.slice(0, 1) },
      fuzz: { ...one.fuzz, cases: 1, calls: 1, series: one.fuzz.series.slice(0, 1) },
    };
    const page = nightlyHtml(single);
    expect(page).toMatch(/<title>vpdma [a-z]+: 1 finding, /);
    expect(page).toContain('>Corpus (1 trace)</h2>');
    expect(page).toMatch(/<p>1 case, 1 call \(.*; 1 sample\.<\/p>/);
    expect(html).toMatch(/<title>vpdma [a-z]+: 3 findings, /);
  });

  it('has the summary, every finding, the fixed list, the corpus table and three plots', () => {
    for (const h of ['Summary', 'Findings (3)', 'Fixed (1)', 'Corpus (4 traces)', 'Fuzz campaign'])
      expect(html).toContain(`>${h}</h2>`);
    for (const f of report.findings) {
      expect(html).toContain(esc(f.signature));
      expect(html).toContain(esc(f.command));
      expect(html).toContain(`status-${f.status}`);
    }
    for (const t of report.corpus.traces) expect(html).toContain(`>${t.trace}</a>`);
    expect(html).toContain(esc(report.fixed[0]?.signature ?? '?'));
    expect(count(html, /<svg class="plot"/g)).toBe(3);
    expect(count(html, /data-points="12"/g)).toBe(3);
    for (const v of ['20,400', '469,200', '823', '2/4', '1 min 6.2 s', '4.2 s'])
      expect(html).toContain(`>${v}<`);
  });

  it("shows a failing corpus trace's --history verdict beside its outcome, and counts them", () => {
    expect(html).not.toContain('Failing corpus traces, new');
    const traces = report.corpus.traces.map((t) =>
      t.violations > 0 ? { ...t, signature: 'k/F/00000001', status: 'regressed' as const } : t,
    );
    const judged = nightlyHtml({ ...report, corpus: { ...report.corpus, traces } });
    expect(judged).toContain(
      '<td class="outcome-fail">fail <span class="status status-regressed" title="k/F/00000001">regressed</span></td>',
    );
    expect(judged).toMatch(/Failing corpus traces, regressed<\/th><td[^>]*>1</);
    expect(judged).toMatch(/Failing corpus traces, new<\/th><td[^>]*>0</);
  });

  it('names the build revision in the Run table and the footer, when the report has one', () => {
    expect(html).toContain('<th scope="row">Build revision</th><td><code>5eed0b1d2c3a</code>');
    expect(html).toContain(', build revision <code>5eed0b1d2c3a</code>.</p></footer>');
    const older = withoutBuildRevision(report);
    expect(nightlyHtml(older)).not.toMatch(/build revision/i);
  });

  it('has the table of what was reached, by function', () => {
    expect(html).toContain('>Reached (3 functions and events)</h2>');
    const open = '<th scope="row"><code>VideoPortPutDmaAdapter</code></th>';
    const from = html.indexOf(open) + open.length;
    expect(html.slice(from, html.indexOf('</tr>', from))).toBe(
      '<td><code>ok</code></td><td><code>double-put</code></td><td class="num" title="idle">1</td>',
    );
    expect(html).toContain('title="adapter\nadapter+mdl+transfer-pending">2</td>');
    expect(html).toContain('Never reached: <code>VideoPortDoDma</code>.');
    const { reached, unreached, ...fuzz } = report.fuzz;
    expect(reached).toBeDefined();
    expect(unreached).toBeDefined();
    expect(nightlyHtml({ ...report, fuzz })).not.toContain('id="reached"');
    // A night that made no call (its target never started): the base corpus's, said so.
    expect(html).toContain('over the base corpus and every case.');
    const none = nightlyHtml({ ...report, fuzz: { ...report.fuzz, cases: 0, calls: 0 } });
    expect(none).toContain('over the base corpus alone: no call was made.');
    expect(none).toContain(`coverage ${report.fuzz.coverage} (base corpus only: no call made);`);
  });

  it('shows the model branches, in the summary and plotted over the run, when the night has them', () => {
    expect(html).not.toContain('Model branches');
    const series = report.fuzz.series.map((p, i) => ({ ...p, branches: 100 + i }));
    const withBranches = nightlyHtml({
      ...report,
      fuzz: { ...report.fuzz, branches: 1234, series },
    });
    expect(withBranches).toContain('<th scope="row">Model branches</th><td>1,234</td>');
    expect(count(withBranches, /id="plot-branches"/g)).toBe(1);
    expect(withBranches).toContain('Model branches');
  });

  it('uses accessible markup: headed tables, labelled plots and copy buttons', () => {
    expect(count(html, /<th scope="col">Trace<\/th>/g)).toBe(1);
    expect(count(html, /<th scope="row">/g)).toBeGreaterThan(20);
    expect(count(html, /role="img" aria-labelledby="plot-[a-z]+-title"/g)).toBe(3);
    expect(count(html, /<button type="button" data-copy="finding-\d-cmd" aria-label=/g)).toBe(3);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  });

  it('escapes every untrusted string', () => {
    const evil = nightlyHtml(hostileNightlyFixture());
    expect(count(evil, /<script/g)).toBe(1);
    expect(evil).not.toMatch(/<img|<svg onload|<b>|document\.title='owned'<\/script>/);
    expect(evil).toContain(esc(HOSTILE.message));
    expect(evil).toContain(esc(HOSTILE.reproLine));
    expect(evil).toContain(`<code>${esc(HOSTILE.fn)}</code>`);
    expect(evil).toContain(`<td><code>${esc(HOSTILE.message)}</code></td>`);
    expect(evil).toContain(
      `<span class="status status-open">open</span> ${esc(HOSTILE.message)}</td>`,
    );
    expect(evil).toContain(`title="${esc(HOSTILE.trace)}"`);
    expect(evil).toContain('href="findings/%22%3E%3Csvg%20onload%3Dalert(1)%3E/repro.jsonl"');
  });

  it('never lets a path become a URL with a scheme', () => {
    expect(pathHref('javascript:alert(1)')).toBe('javascript%3Aalert(1)');
    expect(pathHref('/tmp/a b.jsonl')).toBe('file:///tmp/a%20b.jsonl');
    expect(pathHref('C:\\x\\y.jsonl')).toBe('file:///C:/x/y.jsonl');
  });

  it('marks the failing call line of the repro', () => {
    const text = '#! vpdma-trace v1\n# comment\nA()\n\nB() -> 0x1\nC()\n';
    expect(reproHtml(text, 1)).toBe(
      '#! vpdma-trace v1\n# comment\nA()\n\n<mark title="failing call">B() -&gt; 0x1</mark>\nC()',
    );
  });

  it('shows each bucket still open that nothing showed, with why, and counts them', () => {
    const at = html.indexOf('<section id="still-open"');
    const section = html.slice(at, html.indexOf('</section>', at));
    expect(html).toContain('>Still open, not seen (1)</h2>');
    expect(html).toContain('<li><a href="#still-open">Still open</a></li>');
    expect(section).toContain(
      `<tr><td><code>${STILL_OPEN.signature}</code></td><td>${STILL_OPEN.kind}</td><td><code>${STILL_OPEN.fn}</code></td><td>${STILL_OPEN.firstSeen}</td><td>${STILL_OPEN.lastSeen}</td><td><span class="status status-open">open</span> ${esc(STILL_OPEN.why)}</td></tr>`,
    );
    expect(html).toMatch(/Still open, not seen this run<\/th><td class="num">1</);
    // After Fixed, before Corpus, in the page as in its navigation.
    expect(html.indexOf('id="fixed"')).toBeLessThan(html.indexOf('id="still-open"'));
    expect(html.indexOf('id="still-open"')).toBeLessThan(html.indexOf('id="corpus"'));
    // None: no section, no link, no count, and no line left where they were.
    const none = nightlyHtml({ ...report, stillOpen: [] });
    expect(none).not.toMatch(/still-open|Still open/);
    expect(none).toBe(nightlyHtml(withoutStillOpen(report)));
    // The section's lines, its link and its count row.
    const lines = section.split('\n').length + 2;
    expect(none.split('\n')).toHaveLength(html.split('\n').length - lines);
  });

  it('renders an empty, interrupted run without inventing anything', () => {
    const empty: NightlyReport = {
      ...report,
      interrupted: true,
      findings: [],
      fixed: [],
      fuzz: { ...report.fuzz, series: [] },
    };
    const page = nightlyHtml(empty);
    expect(page).toContain('role="alert">This run was interrupted');
    expect(page).toContain('found no violation');
    expect(page).toContain('Nothing was fixed');
    expect(count(page, />no samples</g)).toBe(3);
    expect(page).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("names the run's --disable'd functions in the header, and only when there are some", () => {
    expect(html).not.toContain('--disable');
    const disabled = ['VideoPortGetCommonBuffer', 'VideoPortMapBankedMemory'];
    const page = nightlyHtml({ ...report, fuzzDetail: { disabled } });
    const head = between(page, '<header>', '</header>');
    expect(head).toContain(
      '<p>Never called (--disable): <code>VideoPortGetCommonBuffer</code>, <code>VideoPortMapBankedMemory</code>.</p>',
    );
    expect(nightlyHtml({ ...report, fuzzDetail: { disabled: ['<b>'] } })).toContain(
      '<code>&lt;b&gt;</code>',
    );
  });
});

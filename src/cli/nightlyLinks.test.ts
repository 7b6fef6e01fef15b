// `vpdma nightly`'s report.html, as a browser follows it: its links to the replayed traces
// work from the page, in --out, whatever directory the run started in; the bundled corpus,
// which a downloaded --out does not hold, is named as the history names it, not linked.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';
import { bundledCorpusDir } from '../store/corpus.js';
import { pageTraceRef } from './nightlyOutputs.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-nightly-links-'));

describe('nightly report.html', () => {
  it('links the page to replayed traces named relative to where the run started', async () => {
    const out = join(dir, 'links');
    const r = await run(['nightly', '--replay', 'corpus', '--out', out, '--runs', '5', '--quiet']);
    expect(r.code).toBe(0); // the page sits in --out: its links must work from there
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    const links = [...page.matchAll(/<td><a href="([^"#]+)">/g)].map(([, h]) =>
      decodeURIComponent(h ?? ''),
    );
    expect(links.length).toBeGreaterThanOrEqual(21);
    for (const path of links) expect(existsSync(join(out, path)), path).toBe(true);
  });

  it('names a bundled corpus trace corpus:NAME, unlinked, wherever vpdma is installed', async () => {
    const out = join(dir, 'bundled');
    const r = await run(['nightly', '--out', out, '--runs', '5', '--quiet']);
    expect(r.code).toBe(0);
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    expect(page).toContain('<td><code>corpus:legacy-mapdma-flags.jsonl</code></td>');
    expect(page).not.toContain(bundledCorpusDir());
    expect(page).not.toMatch(/href="\.\./);
    // Another install's absolute path (a shard's, merged) too; a trace of the user's is linked.
    const ref = pageTraceRef(out);
    expect(ref('/builds/r7/0/vpdma/corpus/legacy-mapdma-flags.jsonl')).toEqual({
      text: 'corpus:legacy-mapdma-flags.jsonl',
    });
    expect(ref('mine/x.jsonl')).toEqual({
      text: 'mine/x.jsonl',
      href: relative(out, 'mine/x.jsonl'),
    });
  });
});

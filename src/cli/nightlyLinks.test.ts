// `vpdma nightly`'s report.html, as a browser follows it: its links to the replayed traces
// work from the page, in --out, whatever directory the run started in.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../test/support/runCli.js';

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
});

// A target that refuses to read memory the oracle says is there: a module whose read() throws,
// a process child that answers `read` with {error}. The violation keeps the target's own words
// (cut to 1,000 characters, as other target text), not only "unreadable".
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';

const root = resolve(import.meta.dirname, '../..');
const trace = join(root, 'corpus/pool-helpers.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'vpdma-read-faults-'));
const index = pathToFileURL(join(root, 'dist/lib/index.bundle.js')).href;
/** The model, except that every read throws READ_ERROR (with LONG more x's). */
const module = join(dir, 'read-throws.mjs');
writeFileSync(
  module,
  `import { createModelTarget } from ${JSON.stringify(index)};
export default async function createTarget(options) {
  const t = await createModelTarget(options);
  const long = 'x'.repeat(Number(process.env.VPDMA_FIXTURE_LONG ?? 0));
  return {
    call: (c) => t.call(c),
    state: () => t.state(),
    read: () => { throw new Error('EFAULT: no page here' + long); },
  };
}
`,
);
const slow = join(root, 'test/fixtures/slow-process-target.mjs');

interface Report {
  violations: { kind: string; message: string; actual?: string }[];
}

async function firstViolation(target: string, name: string): Promise<Report['violations'][0]> {
  const json = join(dir, `${name}.json`);
  const r = await runCli(['replay', trace, '--target', target, '--json', json, '--quiet']);
  expect(r.code).toBe(1);
  const v = (JSON.parse(readFileSync(json, 'utf8')) as Report).violations[0];
  expect(v?.kind).toBe('memory-mismatch');
  return v ?? { kind: '', message: '' };
}

describe('a read the target refuses', () => {
  it('module: the violation says what read() threw', async () => {
    const v = await firstViolation(`module:${module}`, 'module');
    expect(v.message).toMatch(
      /^memory at 0x[0-9a-f]+ is unreadable \(read\(\) of \d+ bytes at 0x[0-9a-f]+ threw Error: EFAULT: no page here\); the oracle says \d+ readable bytes/,
    );
    expect(v.actual).toMatch(/^unreadable \(read\(\) .* threw Error: EFAULT: no page here\)$/);
  });

  it('module: a long error is cut to 1,000 characters, saying how long it was', async () => {
    process.env['VPDMA_FIXTURE_LONG'] = '100000';
    try {
      const v = await firstViolation(`module:${module}`, 'module-long');
      expect(v.actual).toMatch(/EFAULT: no page herex+\.\.\. \(\d{6} characters in all\)\)$/);
      expect(v.actual?.length).toBeLessThan(1100);
    } finally {
      delete process.env['VPDMA_FIXTURE_LONG'];
    }
  });

  it('process: the violation says what the child answered', async () => {
    const target = `process:${process.execPath} ${slow} 0 0 EFAULT:no-such-mapping`;
    const v = await firstViolation(target, 'process');
    expect(v.message).toMatch(
      /is unreadable \(read of \d+ bytes at 0x[0-9a-f]+: the target reported an error: EFAULT:no-such-mapping\); the oracle says/,
    );
  });
});

// `vpdma replay` of the probe's GetCommonBuffer repro against a port that rounds *pActualLength
// up to a page: the summary and --explain say where the expected value comes from, and that the
// check is stricter than the documentation; report.json has it as `rule` and `stricter`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../../test/support/runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-rule-cite-'));
const index = pathToFileURL(resolve(import.meta.dirname, '../../dist/lib/index.bundle.js')).href;
const LINK = 'docs/spec-gaps.md#getcommonbuffers-pactuallength-compared-exactly';
const CITED = `(rule: spec §1 B; stricter than the documentation: see ${LINK})`;

describe('vpdma replay cites the rule of an oracle comparison', () => {
  let plain: CliRun;
  let explained: CliRun;
  const json = join(dir, 'report.json');
  beforeAll(async () => {
    const module = join(dir, 'rounds-up.mjs');
    writeFileSync(
      module,
      `import { createModelTarget } from ${JSON.stringify(index)};
export default async function createTarget(opts) {
  const model = await createModelTarget(opts);
  return {
    ...model,
    call(call) {
      const o = model.call(call);
      if (call.fn !== 'VideoPortGetCommonBuffer' || o.out === undefined) return o;
      return { ...o, out: { ...o.out, pActualLength: 4096 } };
    },
  };
}
`,
    );
    const repro = join(dir, 'repro.txt');
    writeFileSync(
      repro,
      `#! vpdma-trace v1 profile=docs
VideoPortGetCommonBuffer(hwDeviceExtension=0xffffe00000001000, desiredLength=1, alignment=0, cacheEnabled=false)
`,
    );
    const args = ['replay', repro, '--target', `module:${module}`, '--workers', '1'];
    plain = await runCli([...args, '--json', json]);
    explained = await runCli([...args, '--explain']);
  });

  it('in the summary, on a line under the violation, its message as before', () => {
    expect(plain.code, plain.err).toBe(1);
    const lines = plain.out.split('\n');
    const at = lines.findIndex((l) =>
      l.endsWith(
        'out-param-mismatch: VideoPortGetCommonBuffer out.pActualLength: expected 1 (docs oracle), got 4096',
      ),
    );
    expect(at, plain.out).toBeGreaterThan(-1);
    expect(lines[at + 1]).toBe(`    ${CITED}`);
  });

  it('in --explain, under the VIOLATION line', () => {
    expect(explained.code, explained.err).toBe(1);
    expect(explained.out).toContain(
      `  VIOLATION out-param-mismatch: VideoPortGetCommonBuffer out.pActualLength: expected 1 (docs oracle), got 4096\n    ${CITED}\n`,
    );
  });

  it('in report.json, as rule and stricter beside an unchanged signature', () => {
    const r = JSON.parse(readFileSync(json, 'utf8')) as { violations: Record<string, unknown>[] };
    expect(r.violations[0]).toMatchObject({
      kind: 'out-param-mismatch',
      rule: 'spec §1 B',
      stricter: LINK,
      signature: 'out-param-mismatch/GetCommonBuffer/b16daefe',
    });
  });
});

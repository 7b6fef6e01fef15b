// `vpdma minimize` in-process through main(), and once as a user runs it (bin/vpdma.js).
// Candidates replay in the Piscina pool, whose workers run dist/: `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kitchenSink, KITCHEN_DEVICE } from '../../../test/support/kitchenSink.js';
import { readTrace } from '../../store/traceFiles.js';
import { formatJsonl } from '../../trace/jsonl.js';
import type { TraceCall } from '../../model/values.js';
import { runCli, type CliRun } from '../../../test/support/runCli.js';
import { seedLine } from './minimize.js';

const root = resolve(import.meta.dirname, '../../..');
let dir = '';
const p = (name: string): string => join(dir, name);

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/replay/worker.bundle.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  dir = await mkdtemp(join(tmpdir(), 'vpdma-minimize-'));
  // Captured: a repro shrunk against the oracle records none of its values, and must say so.
  // Its description says what the 32 calls do, which the repro's must not claim.
  const meta = { captured: true, description: 'every call of the table, once' };
  const header = { format: 'vpdma-trace', version: 1, device: KITCHEN_DEVICE, meta } as const;
  await writeFile(p('sink.jsonl'), formatJsonl({ header, calls: kitchenSink(true) }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

/**
 * The captured kitchen sink with the first call of `fn` recording `change` instead of what the
 * oracle says, written to `name`: a trace with one recorded-mismatch.
 */
async function tampered(name: string, fn: string, change: Partial<TraceCall>): Promise<string> {
  const calls = kitchenSink(true);
  const i = calls.findIndex((c) => c.fn === fn);
  const meta = { captured: true };
  const header = { format: 'vpdma-trace', version: 1, device: KITCHEN_DEVICE, meta } as const;
  const edited = calls.map((c, k) => (k === i ? { ...c, ...change } : c));
  await writeFile(p(name), formatJsonl({ header, calls: edited }));
  return p(name);
}

describe('seedLine', () => {
  it("names the trace's seed, and is nothing when the trace records none", () => {
    expect(seedLine(5)).toBe(
      'vpdma minimize: draws nothing at random (no seed of its own); the trace records seed=5 in its meta',
    );
    expect(seedLine('0x1f')).toContain('the trace records seed=0x1f in its meta');
    for (const none of [undefined, null, { a: 1 }, true]) expect(seedLine(none)).toBeUndefined();
  });
});

describe('vpdma minimize', () => {
  it('reshapes as fuzz does: an unminimized finding comes out as the repro fuzz wrote', async () => {
    // Case 46 of seed 5 against this mutant: fuzz minimized it to 6 calls; call removal alone,
    // what vpdma minimize did before, stopped at 8.
    const target = 'mutant:drops-map-registers';
    const r = await run(
      'minimize',
      join(root, 'test/fixtures/reshape-case.txt'),
      '--target',
      target,
      '--out',
      p('reshaped.txt'),
      '--quiet',
    );
    expect(r.code).toBe(1); // the repro fails, as it should
    // No seed of its own, said first even with --quiet; the one the case was found with.
    expect(r.err.split('\n')[0]).toBe(
      'vpdma minimize: draws nothing at random (no seed of its own); the trace records seed=5 in its meta',
    );
    // The call lines, without the comments that explain them (no call token holds a '#').
    const calls = async (file: string): Promise<string[]> =>
      (await readFile(file, 'utf8'))
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.replace(/\s+#.*$/, ''));
    const fuzzed = await calls(join(root, 'test/fixtures/reshape-case.fuzz-repro.txt'));
    expect(fuzzed).toHaveLength(6);
    expect(await calls(p('reshaped.txt'))).toEqual(fuzzed);
  });

  it('a target that never starts is a set-up failure: exit 3, nothing written', async () => {
    await writeFile(p('boom.mjs'), 'export default async () => { throw new Error("boom"); };\n');
    const out = p('never.txt');
    const r = await run(
      'minimize',
      p('sink.jsonl'),
      '--target',
      `module:${p('boom.mjs')}`,
      '--out',
      out,
    );
    expect(r.code).toBe(3);
    expect(r.err).toBe('vpdma: the target could not be set up: the factory threw Error: boom\n');
    expect(existsSync(out)).toBe(false);
  });

  it('writes a short repro beside the trace, prints how to replay it, exit 1', async () => {
    const target = 'mutant:bytes-used-remembered';
    const r = await run(
      ...['minimize', p('sink.jsonl'), '--target', target, '--workers', '1', '--json-progress'],
    );
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    // The last progress line is the result the summary states.
    const last = JSON.parse(r.err.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    expect(last).toMatchObject({ progress: 'minimize', calls: 2, pass: 'done' });
    expect(lines[1]).toContain(
      `: ${String(last['done'])} attempts (${String(last['accepted'])} accepted`,
    );
    expect(lines[0]).toBe(
      `${p('sink.jsonl')}: inert-return-mismatch in VideoPortGetBytesUsed at call 22: ` +
        'VideoPortGetBytesUsed returned 4096; it must return 0',
    );
    expect(lines[1]).toMatch(
      /^minimized 32 -> 2 calls: \d+ attempts \(\d+ accepted, \d+ replays\) in [\d.]+ s$/,
    );
    expect(lines.slice(2)).toEqual([
      `wrote ${p('sink.min.txt')}`,
      'repro: inert-return-mismatch in VideoPortGetBytesUsed at call 1',
      `reproduce: vpdma replay ${p('sink.min.txt')} --target ${target} --timeout 5000`,
      '',
    ]);
    expect(await readFile(p('sink.min.txt'), 'utf8')).toMatchInlineSnapshot(`
      "#! vpdma-trace v1 profile=docs
      #! device {"dma":{"mapRegisters":4}}
      #! meta {"description":"minimized from sink.jsonl (32 calls -> 2 calls): every call of the table, once","minimized":{"from":"sink.jsonl","calls":32,"kind":"inert-return-mismatch","fn":"VideoPortGetBytesUsed","seed":null,"target":"mutant:bytes-used-remembered","timeoutMs":5000,"attempts":10000}}
      # Arguments for pointer parameters (PULONG Length, PVOID *VirtualAddress) are the values pointed to on entry: length=4096 means *Length == 4096.
      # Comments are not checked: "# oracle at call N:" is what the reference model answers to call N (counting from 0, as replay does); "x = call N's *X" says where argument x came from.
      VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=4096)
      VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0)
      # oracle at call 1: -> 0
      # violation at call 1: inert-return-mismatch: VideoPortGetBytesUsed returned 4096; it must return 0
      "
    `);
    const again = await run(
      'replay',
      p('sink.min.txt'),
      '--target',
      target,
      '--workers',
      '1',
      '--quiet',
    );
    expect(again.code).toBe(1);
    expect(again.out).toContain('inert-return-mismatch: VideoPortGetBytesUsed');
  });

  it('minimizes a capture cut off mid-line from its intact calls, and says so', async () => {
    const text = (await readFile(p('sink.jsonl'), 'utf8')).trimEnd();
    // Cut 10 characters into the last line: the violation at call 22 is before it.
    await writeFile(p('cut.jsonl'), text.slice(0, text.lastIndexOf('\n') + 11));
    const target = 'mutant:bytes-used-remembered';
    const out = p('cut.min.txt');
    const r = await run('minimize', p('cut.jsonl'), '--target', target, '--out', out, '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^vpdma: .*cut\.jsonl:33: truncated: .*: damaged; minimizing the 31 calls before it\n/,
    );
    expect(r.out).toMatch(/^minimized 31 -> 2 calls/m);
    const repro = await readTrace(out);
    expect(repro.ok && repro.value.calls.map((c) => c.fn)).toEqual([
      'VideoPortSetBytesUsed',
      'VideoPortGetBytesUsed',
    ]);
  });

  it('--kind and --fn choose among the violations; --out picks the format', async () => {
    // The call reports view-torn-down first, then the memory-corrupted chosen here.
    const r = await run(
      'minimize',
      p('sink.jsonl'),
      '--target',
      'mutant:unmapdma-tears-down-view',
      '--kind',
      'memory-corrupted',
      '--out',
      p('event.jsonl'),
      '--workers',
      '1',
      '--quiet',
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^.*: memory-corrupted in VideoPortUnmapDmaMemory at call 25: /);
    const repro = await readTrace(p('event.jsonl'));
    expect(repro.ok && repro.value.calls.map((c) => c.fn)).toEqual([
      'VideoPortGetDeviceBase',
      'VideoPortUnmapDmaMemory',
    ]);
  });

  it('keeps what a captured trace recorded when the violation is a recorded-mismatch', async () => {
    await tampered('recorded.jsonl', 'VideoPortStartDma', { out: { pLength: 0x8000 } });
    const r = await run('minimize', p('recorded.jsonl'), '--workers', '1', '--quiet');
    expect(r.code).toBe(1);
    expect(r.out).toContain('minimized 32 -> 4 calls');
    const text = await readFile(p('recorded.min.txt'), 'utf8');
    // Its values are the capture's: still captured.
    expect(text.split('\n')[2]).toMatch(/^#! meta \{"captured":true,"minimized":/);
    // The same discrepancy, not one made by removing the adapter: recorded 32768, oracle 16384.
    expect(text.split('\n').slice(3).join('\n')).toMatchInlineSnapshot(`
      "# Arguments for pointer parameters (PULONG Length, PVOID *VirtualAddress) are the values pointed to on entry: length=4096 means *Length == 4096.
      # Comments are not checked: "# oracle at call N:" is what the reference model answers to call N (counting from 0, as replay does); "x = call N's *X" says where argument x came from.
      r0 = VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576}) -> 0xffffe00010000000
      # oracle at call 0: as recorded
      r1 = VideoPortAllocatePool(hwDeviceExtension=0xffffe00000001000, poolType=0, numberOfBytes=32768, tag=1634550870) -> 0xffffa00000000000
      # oracle at call 1: as recorded
      r2 = VideoPortLockBuffer(hwDeviceExtension=0xffffe00000001000, baseAddress=r1, length=32768, operation=2) -> 0xffffe00010000200
      # oracle at call 2: as recorded
      VideoPortStartDma(hwDeviceExtension=0xffffe00000001000, vpDmaAdapter=r0, mdl=r2, offset=0, pLength=32768, executeDmaRoutine=0xfffff80000a01000, context=0xffffa00000000000, writeToDevice=true) -> 0 out(pLength=32768)
      # oracle at call 3: -> 0 out(pLength=16384)
      # violation at call 3: recorded-mismatch: the trace recorded out.pLength = 32768; the docs oracle says 16384
      "
    `);
    // The repro, arguments as captured, shows that discrepancy on its own.
    const again = await run('replay', p('recorded.min.txt'), '--quiet');
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/recorded-mismatch: .*pLength.*32768.*16384/);
  });

  it('never buys a shorter repro by turning the failing call into misuse', async () => {
    // Without its StartDma, CompleteDma is forbidden and its answer undefined: a recorded 87
    // there is no longer the captured discrepancy, so the transfer must stay in the repro.
    await tampered('complete.jsonl', 'VideoPortCompleteDma', { ret: 87 });
    const r = await run('minimize', p('complete.jsonl'), '--workers', '1', '--quiet');
    expect(r.code).toBe(1);
    const repro = await readTrace(p('complete.min.txt'));
    const fns = repro.ok ? repro.value.calls.map((c) => c.fn) : [];
    expect(fns).toEqual(expect.arrayContaining(['VideoPortStartDma', '@executeDma']));
    expect(fns.at(-1)).toBe('VideoPortCompleteDma');
    const again = await run('replay', p('complete.min.txt'), '--quiet');
    expect(again.out).toMatch(
      /recorded-mismatch: the trace recorded ret = 87; the docs oracle says 0/,
    );
  });

  it('checks --out before minimizing: a bad one costs no work, a missing directory is made', async () => {
    await tampered('out-check.jsonl', 'VideoPortStartDma', { out: { pLength: 0x8000 } });
    const bad = await run('minimize', p('out-check.jsonl'), '--out', '/proc/vpdma-no/x.txt');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/^vpdma: --out \/proc\/vpdma-no\/x\.txt: not writable \(/);
    const deep = p('made/for/it/r.txt');
    const ok = await run(
      'minimize',
      p('out-check.jsonl'),
      '--out',
      deep,
      '--workers',
      '1',
      '--quiet',
    );
    expect(ok.err).toBe(''); // no seed line: the trace records none, minimize has none
    expect(ok.code).toBe(1);
    expect(existsSync(deep)).toBe(true);
  });

  it('a trace without a violation is exit 2, and so is bad usage', async () => {
    const clean = await run('minimize', p('sink.jsonl'), '--workers', '1');
    expect(clean).toEqual({
      code: 2,
      out: '',
      err: `vpdma: ${p('sink.jsonl')} shows no violation against model\n`,
    });
    const none = await run(
      'minimize',
      p('sink.jsonl'),
      '--target',
      'mutant:bytes-used-remembered',
      '--fn',
      'VideoPortDoDma',
      '--workers',
      '1',
    );
    expect([none.code, none.err]).toEqual([
      2,
      `vpdma: ${p('sink.jsonl')} shows no violation matching --kind/--fn against mutant:bytes-used-remembered\n`,
    ]);
    expect((await run('minimize', p('sink.jsonl'), '--kind', 'wrong')).err).toMatch(
      /^vpdma: --kind: unknown kind "wrong" \(map-dma-returned-non-null, /,
    );
    expect((await run('minimize', p('sink.jsonl'), '--out', p('x.json'))).code).toBe(2);
    // --attempts is --attempts-max's older name: both at once is ambiguous.
    const both = await run('minimize', p('sink.jsonl'), '--attempts', '5', '--attempts-max', '9');
    expect([both.code, both.err]).toEqual([
      2,
      'vpdma: --attempts: the older name of --attempts-max; give one of them\n',
    ]);
    expect((await run('minimize', p('sink.jsonl'), '--attempts-max', '0')).err).toMatch(
      /^vpdma: --attempts-max: /,
    );
    const over = await run('minimize', p('sink.jsonl'), '--out', p('sink.jsonl'));
    expect([over.code, over.err]).toEqual([
      2,
      `vpdma: --out: ${p('sink.jsonl')}: is the trace being minimized; give another file\n`,
    ]);
    // A link to it too: writing the repro would replace the trace the link names.
    await symlink(p('sink.jsonl'), p('link.jsonl'));
    const linked = await run('minimize', p('sink.jsonl'), '--out', p('link.jsonl'));
    expect([linked.code, linked.err]).toEqual([
      2,
      `vpdma: --out: ${p('link.jsonl')}: is the trace being minimized; give another file\n`,
    ]);
    expect((await run('minimize', p('missing.jsonl'))).code).toBe(2);
    expect((await run('minimize', p('sink.jsonl'), '--target', 'mutant:nope')).code).toBe(2);
    // A captured trace using a handle no call returned: bad input, as replay says.
    const sink = (await readFile(p('sink.jsonl'), 'utf8')).split('\n');
    const adapter = sink.findIndex((l) => l.includes('"VideoPortGetDmaAdapter"'));
    await writeFile(p('broken.jsonl'), sink.filter((_, i) => i !== adapter).join('\n'));
    const broken = await run(
      'minimize',
      p('broken.jsonl'),
      '--target',
      'mutant:bytes-used-remembered',
    );
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(
      /^vpdma: .*broken\.jsonl:\d+: args\.\w+: .*no earlier call returned/,
    );
  });

  it('bin/vpdma.js with two workers writes the same repro as one worker', async () => {
    const target = 'mutant:completedma-from-device-fails';
    const one = await run(
      'minimize',
      p('sink.jsonl'),
      '--target',
      target,
      '--workers',
      '1',
      '--out',
      p('one.txt'),
      '--quiet',
    );
    expect(one.code).toBe(1);
    const bin = join(root, 'bin/vpdma.js');
    const args = [
      'minimize',
      p('sink.jsonl'),
      '--target',
      target,
      '--workers',
      '2',
      '--out',
      p('two.txt'),
      '--quiet',
    ];
    const two = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    expect(two.status).toBe(1);
    expect(two.stderr).toBe('');
    // 6 by call removal; reshaping (as fuzz does) moves a call and drops one more.
    expect(two.stdout).toContain('minimized 32 -> 5 calls');
    expect(await readFile(p('two.txt'), 'utf8')).toBe(await readFile(p('one.txt'), 'utf8'));
  });
});

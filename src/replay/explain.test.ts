// `vpdma replay --explain`'s text, from the Replayer's hooks: each call as the target got it,
// both answers, and each violation under the call it was found at.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDevice, type Profile } from '../model/device.js';
import { parseText } from '../trace/textParse.js';
import { textCallLines } from '../trace/textParse.js';
import { callLines, explainLineCharsMax, Explainer } from './explain.js';
import { createModelTargetSync } from './modelTarget.js';
import { createMutantTarget, findMutant } from './mutants.js';
import { replayTrace } from './replayTrace.js';
import type { Target } from './target.js';

const REPRO = [
  '#! vpdma-trace v1 profile=docs',
  '# a comment, then a blank line: calls are on lines 4 and 6',
  '',
  'r0 = VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0) -> 0xffffc00000000000',
  '   # indented comment',
  'VideoPortMapDmaMemory(hwDeviceExtension=0xffffe00000001000, pVrp=0x0, boardAddress=0xe0000000, length=4096, inIoSpace=2, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=r0)',
  '',
].join('\n');

const modelTarget = (o: { device: ReturnType<typeof resolveDevice> }): Target =>
  createModelTargetSync({ ...o, profile: 'docs' });

/** `source` explained against `target`; `lined`: as a .txt, else without lines (a .vpt). */
async function explained(
  target: (o: { device: ReturnType<typeof resolveDevice> }) => Target,
  source = REPRO,
  lined = true,
  profile?: Profile,
) {
  const trace = parseText(source);
  if (!trace.ok) throw new Error(trace.error.message);
  const lines = textCallLines(source);
  const out: string[] = [];
  const ex = new Explainer(
    'repro.txt',
    (i) => (lined ? lines[i] : undefined),
    (t) => void out.push(t),
  );
  const device = resolveDevice(trace.value.header.device);
  const result = await replayTrace(trace.value.header, trace.value.calls, target({ device }), {
    ...ex.hooks(),
    ...(profile === undefined ? {} : { profile }),
  });
  ex.end(result);
  return { text: out.join(''), chunks: out, result };
}

describe('Explainer', () => {
  it('says, at its end, that --profile left the recorded values uncompared', async () => {
    const { text } = await explained(modelTarget, REPRO, true, 'reactos');
    expect(text).toContain(
      "\n# the recorded values were not compared: the oracle's profile is not the trace header's, whose answers they are\n# end: 2 calls replayed",
    );
    expect((await explained(modelTarget)).text).not.toContain('not compared');
  });

  it('shows a mutant writing *Length under the call that did it, beside the oracle', async () => {
    const bug = findMutant('mapdma-writes-length');
    if (bug === undefined) throw new Error('no such mutant');
    const { text, chunks } = await explained((o) =>
      createMutantTarget(bug, { ...o, profile: 'docs' }),
    );
    const args =
      'hwDeviceExtension=0xffffe00000001000, pVrp=0x0, boardAddress=0xe0000000, length=4096, inIoSpace=2, mappedUserEvent=0x0, displayDriverEvent=0x0, virtualAddress=0xffffc00000000000';
    expect(text.split('\n').slice(1)).toEqual([
      'call 0 (line 4): VideoPortGetDeviceBase(hwDeviceExtension=0xffffe00000001000, ioAddress=0xe0000000, numberOfUchars=4096, inIoSpace=0)',
      "  recorded: -> 0xffffc00000000000 (in the trace's addresses)",
      '  target and oracle: -> 0xffffc00000000000',
      '  objects:  created view 0xffffc00000000000; live: 1 view',
      `call 1 (line 6): VideoPortMapDmaMemory(${args})`,
      '  target:   -> 0x0 out(pVrp=0x0, length=0, inIoSpace=2, virtualAddress=0xffffc00000000000)',
      '  oracle:   -> 0x0 out(pVrp=0x0, length=4096, inIoSpace=2, virtualAddress=0xffffc00000000000)',
      '  VIOLATION map-dma-wrote-out-param: VideoPortMapDmaMemory wrote length: 4096 became 0',
      '    (rule: spec §4 invariant 5)',
      '  target state agrees with the model (1 object)',
      '# end: 2 calls replayed, 1 violation, outcome fail',
      '',
    ]);
    expect(text).toMatch(/^# repro\.txt: each call with its arguments as the target got them/);
    // Each call's own line goes out before the call reaches the target (a hang shows it),
    // its answers with the next.
    expect(chunks).toHaveLength(3);
    for (const [i, chunk] of chunks.slice(0, 2).entries()) {
      const own = chunk.slice(chunk.indexOf(`call ${i} `));
      expect(own).not.toMatch(/\n {2}(target|oracle|VIOLATION)/);
    }
  });

  it("shows a captured call's meta on its line, so the capture's thread is known", async () => {
    const bug = findMutant('mapdma-writes-length');
    if (bug === undefined) throw new Error('no such mutant');
    const source = REPRO.replace('virtualAddress=r0)', 'virtualAddress=r0) meta {"tid":4}');
    const { text } = await explained(
      (o) => createMutantTarget(bug, { ...o, profile: 'docs' }),
      source,
    );
    expect(text).toMatch(/^call 1 \(line 6\): VideoPortMapDmaMemory\(.*\) meta \{"tid":4\}$/m);
    expect(text).toContain('VIOLATION map-dma-wrote-out-param');
  });

  it('shows the arguments in the target’s addresses, its answer apart from the oracle’s', async () => {
    // model:alternate allocates elsewhere: the view it returns is what it is given back.
    const { text } = await explained((o) =>
      createModelTargetSync({ ...o, profile: 'docs', layout: 'alternate' }),
    );
    const target = /target: {3}-> (0x[0-9a-f]+)\n/.exec(text)?.[1];
    expect(target).toBeDefined();
    expect(target).not.toBe('0xffffc00000000000');
    expect(text).toContain('  oracle:   -> 0xffffc00000000000\n');
    expect(text).toContain(`virtualAddress=${target})\n`);
    expect(text).not.toContain('VIOLATION');
  });

  it('says where the oracle stops being compared, and where the documentation forbids a call', async () => {
    const call =
      'VideoPortGetDmaAdapter(hwDeviceExtension=0xffffe00000001000, vpDeviceDescription=0x0)';
    const { text } = await explained(modelTarget, `#! vpdma-trace v1\n${call}\n${call}\n`, false);
    expect(text.match(/misuse: {3}null-description/g)).toHaveLength(2);
    expect(text.match(/the trace misuses the API at call 0: /g)).toHaveLength(1);
    expect(text).toContain(`\ncall 1: ${call}\n`); // a trace without lines (a .vpt)
  });

  it("says under each call what it did to the oracle's objects, and what is live", async () => {
    const ext = 'hwDeviceExtension=0xffffe00000001000';
    const desc =
      'vpDeviceDescription={scatterGather=true, dma32BitAddresses=true, dma64BitAddresses=false, maximumLength=1048576}';
    const source = `#! vpdma-trace v1
r0 = VideoPortGetDmaAdapter(${ext}, ${desc}) -> 0xffffe00010000000
r1 = VideoPortAllocatePool(${ext}, poolType=0, numberOfBytes=8192, tag=1) -> 0xffffa00000000000
r2 = VideoPortLockBuffer(${ext}, baseAddress=r1, length=8192, operation=0) -> 0xffffe00010000100
VideoPortStartDma(${ext}, vpDmaAdapter=r0, mdl=r2, offset=0, pLength=8192, executeDmaRoutine=0xfffff80000a01000, context=0x0, writeToDevice=true)
@executeDma(vpDmaAdapter=r0)
VideoPortCompleteDma(${ext}, vpDmaAdapter=r0, vpScatterGather=0xffffe00010000200, writeToDevice=true)
VideoPortUnlockBuffer(${ext}, mdl=r2)
VideoPortCreateEvent(${ext}, eventFlag=0, unused=0x0)
VideoPortSetEvent(${ext}, pEvent=0xffffe00010000300)
VideoPortFreePool(${ext}, ptr=r1)
VideoPortFreePool(${ext}, ptr=r1)
VideoPortPutDmaAdapter(${ext}, vpDmaAdapter=r0)
`;
    const { text } = await explained(modelTarget, source, false);
    const objects = text.split('\n').filter((l) => /^call \d+|^ {2}objects:/.test(l));
    expect(objects.map((l) => l.replace(/^(call \d+): .*/, '$1'))).toEqual([
      'call 0',
      '  objects:  created adapter 0xffffe00010000000; live: 1 adapter (0 of 64 map registers in use)',
      'call 1',
      '  objects:  created pool block 0xffffa00000000000; live: 1 adapter (0 of 64 map registers in use), 1 pool block',
      'call 2',
      '  objects:  created MDL 0xffffe00010000100; live: 1 adapter (0 of 64 map registers in use), 1 MDL, 1 pool block',
      'call 3',
      '  objects:  created pending transfer 0xffffe00010000200; live: 1 adapter (2 of 64 map registers in use), 1 MDL, 1 pending transfer, 1 pool block',
      'call 4',
      '  objects:  now delivered transfer 0xffffe00010000200; live: 1 adapter (2 of 64 map registers in use), 1 MDL, 1 delivered transfer, 1 pool block',
      'call 5',
      '  objects:  freed delivered transfer 0xffffe00010000200; live: 1 adapter (0 of 64 map registers in use), 1 MDL, 1 pool block',
      'call 6',
      '  objects:  freed MDL 0xffffe00010000100; live: 1 adapter (0 of 64 map registers in use), 1 pool block',
      'call 7',
      '  objects:  created event 0xffffe00010000300; live: 1 adapter (0 of 64 map registers in use), 1 event, 1 pool block',
      // SetEvent changes an event's state but creates and frees nothing: no line.
      'call 8',
      'call 9',
      '  objects:  freed pool block 0xffffa00000000000; live: 1 adapter (0 of 64 map registers in use), 1 event',
      // A double free is misuse: the oracle frees nothing.
      'call 10',
      'call 11',
      '  objects:  freed adapter 0xffffe00010000000; live: 1 event',
    ]);
    expect(text).toMatch(/\n {2}misuse: {3}free-unknown-pool /);
  });

  it('keeps the ends of a very long line', async () => {
    const data = 'ab'.repeat(4000);
    const base = REPRO.split('\n')[3] ?? '';
    const source = `#! vpdma-trace v1\n${base}\n@write(va=r0, data=x"${data}")\n`;
    const long = (await explained(modelTarget, source, false)).text
      .split('\n')
      .find((l) => l.startsWith('call 1: @write'));
    expect(long?.length).toBeLessThanOrEqual(explainLineCharsMax);
    // What is left out and what is shown add up to the whole line.
    const marker = / \.\.\. \((\d+) of the line's (\d+) characters left out\) \.\.\. /.exec(
      long ?? '',
    );
    const [shown, out, whole] = [long?.length ?? 0, Number(marker?.[1]), Number(marker?.[2])];
    expect(shown - (marker?.[0].length ?? 0) + out).toBe(whole);
    expect(whole).toBeGreaterThan(8000);
    expect(long).toMatch(
      /^call 1: @write\(va=0x[0-9a-f]+, data=x"abab.* \.\.\. \(\d+ of the line's \d+ characters left out\) \.\.\. [ab]+"\)$/,
    );
  });
});

describe('callLines', () => {
  it('numbers JSONL calls from line 2, reads a .txt for its call lines, and gives a .vpt none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vpdma-explain-'));
    const txt = join(dir, 'r.txt');
    writeFileSync(txt, `\uFEFF${REPRO.replace(/\n/g, '\r\n')}`);
    const ofTxt = await callLines(txt);
    expect([ofTxt(0), ofTxt(1), ofTxt(2)]).toEqual([4, 6, undefined]);
    const ofJsonl = await callLines(join(dir, 'r.jsonl'));
    expect([ofJsonl(0), ofJsonl(7)]).toEqual([2, 9]);
    expect((await callLines(join(dir, 'r.vpt')))(0)).toBeUndefined();
    expect((await callLines(undefined))(0)).toBeUndefined();
  });

  it('agrees with the parser on which lines are calls', () => {
    const parsed = parseText(REPRO);
    expect(parsed.ok && parsed.value.calls.length).toBe(textCallLines(REPRO).length);
    expect(textCallLines('#! vpdma-trace v1\n#!x\n  #c\nF()\n\n  G()\n')).toEqual([4, 6]);
  });
});

describe('docs/debugging.md', () => {
  it('shows what --explain prints for its example', async () => {
    // Its target allocates as model:alternate does and writes *Length in MapDmaMemory.
    const doc = readFileSync(new URL('../../docs/debugging.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/\n\n((?: {4}.*\n|\n)+)/g)].map((m) =>
      (m[1] ?? '').replace(/^ {4}/gm, '').trimEnd(),
    );
    const repro = blocks.find((b) => b.startsWith('#! vpdma-trace'));
    const shown = blocks.find((b) => b.startsWith('# repro.txt: '));
    if (repro === undefined || shown === undefined) throw new Error('the example is gone');
    const trace = parseText(`${repro}\n`);
    if (!trace.ok) throw new Error(trace.error.message);
    const lines = textCallLines(`${repro}\n`);
    const out: string[] = [];
    const ex = new Explainer(
      'repro.txt',
      (i) => lines[i],
      (t) => void out.push(t),
    );
    const device = resolveDevice(trace.value.header.device);
    const model = createModelTargetSync({ device, profile: 'docs', layout: 'alternate' });
    const target: Target = {
      ...model,
      call: (c) => {
        const r = model.call(c);
        const writes = c.fn === 'VideoPortMapDmaMemory' && c.args['virtualAddress'] !== 0n;
        return writes ? { ...r, out: { ...r.out, length: 0 } } : r;
      },
    };
    ex.end(await replayTrace(trace.value.header, trace.value.calls, target, ex.hooks()));
    expect(out.join('').trimEnd()).toBe(shown);
  });
});

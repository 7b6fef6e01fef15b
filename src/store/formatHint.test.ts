// A trace named for one format holding another: the error at its start says which to rename
// it to; an error in a trace of its own format gets no such hint.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJsonl } from '../trace/jsonl.js';
import { printText } from '../trace/text.js';
import { emptyHeader } from '../trace/trace.js';
import { encodeVpt } from '../trace/vpt.js';
import { readTrace, streamTraceBatches } from './traceFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-hint-'));
const trace = { header: emptyHeader(), calls: [] };
const bodies = {
  jsonl: formatJsonl(trace),
  vpt: encodeVpt(trace),
  txt: printText(trace),
};

async function firstError(path: string): Promise<string> {
  const whole = await readTrace(path);
  const streamed: string[] = [];
  for await (const item of streamTraceBatches(path))
    if (item.kind === 'error') streamed.push(item.error.message);
  if (whole.ok) throw new Error(`${path} was read`);
  // Read whole or streamed, the same message.
  expect(streamed).toEqual([whole.error.message]);
  return whole.error.message;
}

describe('a trace misnamed for another format', () => {
  it.each([
    ['x.jsonl', 'vpt'],
    ['x.txt', 'vpt'],
    ['y.vpt', 'jsonl'],
    ['z.vpt', 'txt'],
    ['w.jsonl', 'txt'],
  ] as const)('%s holding a .%s trace says to rename it', async (name, is) => {
    const path = join(dir, name);
    writeFileSync(path, bodies[is]);
    expect(await firstError(path)).toMatch(
      new RegExp(`\\(it starts as a \\.${is} trace does: rename it \\.${is}\\)$`),
    );
  });

  it('no hint for a broken trace of its own format', async () => {
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, '{"format": 1}\n');
    expect(await firstError(path)).not.toMatch(/rename it/);
  });
});

describe('byte-order marks read from a file', () => {
  it('one at the start is dropped; a second is an error, read whole or streamed', async () => {
    const bom = '\uFEFF';
    const one = join(dir, 'bom1.jsonl');
    writeFileSync(one, bom + bodies.jsonl);
    const r = await readTrace(one);
    expect(r.ok).toBe(true);
    // Past 1 MiB a file is streamed: the line reader must keep the BOM for the reader too.
    for (const pad of [0, 2 << 20]) {
      const two = join(dir, `bom2-${pad}.jsonl`);
      writeFileSync(two, bom + bom + bodies.jsonl + ' '.repeat(pad));
      expect(await firstError(two)).toBe(
        'a byte-order mark where JSON belongs (one is allowed, at the very start)',
      );
    }
  });
});

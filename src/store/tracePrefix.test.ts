// readTraceStart holds the first calls only: told how many the trace has, it stops reading
// there (bad input further on is never seen); otherwise it counts the rest, damage ending it.
// An aborted signal ends the read at its next chunk.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callsMax } from '../core/limits.js';
import { encodeJsonlCall, encodeJsonlHeader } from '../trace/jsonl.js';
import { smallTrace } from '../../test/support/testTraces.js';
import { readTraceStart } from './tracePrefix.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-trace-prefix-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const t = smallTrace(true);
const lines = [encodeJsonlHeader(t.header), ...t.calls.map(encodeJsonlCall)];
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('readTraceStart', () => {
  it('keeps the first calls and counts them all', async () => {
    const p = file('whole.jsonl', `${lines.join('\n')}\n`);
    const r = await readTraceStart(p, 2);
    expect(r.ok && r.value).toEqual({
      trace: { header: t.header, calls: t.calls.slice(0, 2) },
      calls: t.calls.length,
    });
  });

  it('told the count, reads no further than the calls kept', async () => {
    const p = file('bad-tail.jsonl', `${lines.join('\n')}\n{"fn":"VideoPortMapDmaMem\n`);
    const r = await readTraceStart(p, 2, 99);
    expect(r.ok && r.value).toEqual({
      trace: { header: t.header, calls: t.calls.slice(0, 2) },
      calls: 99,
    });
    // Read on to count, the bad line is bad input.
    const counted = await readTraceStart(p, 2);
    expect(counted.ok).toBe(false);
    expect(!counted.ok && counted.error.line).toBe(lines.length + 1);
  });

  it('ends at damage, with the intact calls counted', async () => {
    const cut = `${lines.join('\n')}\n${lines[1]?.slice(0, 20) ?? ''}`;
    const r = await readTraceStart(file('cut.jsonl', cut), 100);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.trace.calls).toEqual(t.calls);
    expect(r.value.calls).toBe(t.calls.length);
    expect(r.value.damage?.damaged).toBe(true);
  });

  it('refuses to hold more than callsMax calls, before reading', async () => {
    const r = await readTraceStart(join(dir, 'none.jsonl'), callsMax + 1);
    expect(!r.ok && r.error.message).toBe(
      `more than ${callsMax} calls to hold in memory (the first ${callsMax + 1} are needed)`,
    );
  });

  it('stopped by its signal, ends with cannot read: interrupted (not damage)', async () => {
    const p = file('stopped.jsonl', `${lines.join('\n')}\n`);
    const ac = new AbortController();
    ac.abort();
    const r = await readTraceStart(p, 2, undefined, ac.signal);
    expect(!r.ok && r.error).toEqual({ file: p, message: 'cannot read: interrupted' });
    // The signal is all that stopped it: unaborted, the same read keeps its calls.
    const running = await readTraceStart(p, 2, undefined, new AbortController().signal);
    expect(running.ok && running.value.trace.calls).toEqual(t.calls.slice(0, 2));
  });
});

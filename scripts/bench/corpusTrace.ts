// A large trace with the bundled corpus's call mix: every corpus trace's calls, repeated in
// order until the wanted count. Deterministic, so every run measures the same bytes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonl } from '../../src/trace/jsonl.js';
import { formatTraceError } from '../../src/trace/traceError.js';
import type { Trace } from '../../src/trace/trace.js';
import { emptyHeader } from '../../src/trace/trace.js';
import type { TraceCall } from '../../src/model/values.js';

export function corpusCalls(root: string): TraceCall[] {
  const dir = join(root, 'corpus');
  const calls: TraceCall[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()) {
    const r = parseJsonl(readFileSync(join(dir, name), 'utf8'), name);
    if (!r.ok) throw new Error(formatTraceError(r.error));
    calls.push(...r.value.calls);
  }
  if (calls.length === 0) throw new Error(`no corpus traces in ${dir}`);
  return calls;
}

export function corpusLikeTrace(root: string, count: number): Trace {
  const base = corpusCalls(root);
  const calls: TraceCall[] = new Array<TraceCall>(count);
  for (let i = 0; i < count; i++) calls[i] = base[i % base.length] as TraceCall;
  return { header: emptyHeader({ source: 'vpdma bench', baseCalls: base.length }), calls };
}

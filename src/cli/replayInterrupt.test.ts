// `vpdma replay` stopped by Ctrl-C: the reports for what finished, marked as interrupted.
import { stillThere } from '../../test/pgrep.js';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interruptCli } from '../../test/support/runCli.js';
import { waitFor } from '../../test/support/waitFor.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-int-'));

/** Processes whose command line holds `marker`. */
function running(marker: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
}

describe('vpdma replay, interrupted', () => {
  it('writes the report for what finished on SIGINT', async () => {
    const json = join(dir, 'interrupted.json');
    const junit = join(dir, 'interrupted.xml');
    // A target that never answers. vpdma waits out the call in flight (its hello) before the
    // reports, so --timeout is the start's 5 s floor (startTimeout.ts), not 20 s: the same
    // path, 15 s sooner. It says it started by a file of its own, ready-<its pid>
    // (vpdma's command line holds the target's, so only the target can say so), and carries a
    // marker to find it by once vpdma has exited.
    const ready = mkdtempSync(join(dir, 'ready-'));
    expect(ready).toMatch(/^[\w/.-]+$/); // goes into the command inside '...'
    const marker = `vpdma-leak-check-${process.pid}-${Date.now()}`;
    const started = `require('fs').writeFileSync('${ready}/ready-'+process.pid,'')`;
    const slow = `process:node -e "${started};setInterval(()=>{},1000)" ${marker}`;
    let targets: string[] = [];
    const { code, out, err } = await interruptCli(
      [
        'replay',
        'corpus',
        '--target',
        slow,
        '--timeout',
        '5000',
        '--workers',
        '1',
        '--quiet',
        '--json',
        json,
        '--junit',
        junit,
      ],
      // Once the target runs, vpdma is replaying: a fixed delay raced its start on a loaded machine.
      async () => void (await waitFor(() => (targets = readdirSync(ready)).length > 0)),
    );
    // The target did start before the signal: the check at the end means something.
    expect(targets).toHaveLength(1);
    expect(err).toContain('SIGINT');
    expect(code).toBe(130);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      interrupted: boolean;
      summary: { traces: number };
    };
    expect(report.interrupted).toBe(true);
    // The JUnit says so too, with the traces never replayed: a dashboard must not show green.
    const missing =
      readdirSync('corpus').filter((f) => /\.(jsonl|vpt|txt)$/.test(f)).length -
      report.summary.traces;
    const total = missing + report.summary.traces;
    expect(out).toContain(`interrupted: ${missing} of ${total} traces not replayed`);
    expect(readFileSync(junit, 'utf8')).toContain(
      `<testcase classname="vpdma" name="interrupted">\n      <error message="interrupted: ${missing} trace${missing === 1 ? '' : 's'} not replayed" type="interrupted"/>`,
    );
    // The target's process did not outlive vpdma (its worker thread was terminated).
    expect(await stillThere(() => running(marker))).toEqual([]);
  }, 240_000);

  it('keeps the trace stopped part way: its calls and the violations found before the signal', async () => {
    // A capture whose call 10 recorded a non-NULL VideoPortMapDmaMemory (a recorded-mismatch),
    // then 600 reads: at about 60 ms a call (slow-target), 36 s to the end.
    const head = readFileSync('corpus/legacy-mapdma-flags.jsonl', 'utf8').split('\n').slice(0, 12);
    head[11] = (head[11] ?? '').replace('"ret":"0x0"', '"ret":"0xffffd0000000beef"');
    const read = '{"fn":"@read","args":{"va":"0xffffc00000000000","length":4}}';
    const trace = join(dir, 'long-capture.jsonl');
    writeFileSync(trace, `${[...head, ...Array<string>(600).fill(read)].join('\n')}\n`);
    const json = join(dir, 'partial.json');
    const junit = join(dir, 'partial.xml');
    // The target writes how many calls it has answered: JSON progress comes every 10 s, so
    // waiting for it to show call 12 raced the trace's end (or ran out) when the start was slow.
    const answeredFile = join(dir, 'answered');
    const answered = (): number => {
      try {
        return Number(readFileSync(answeredFile, 'utf8')) || 0;
      } catch {
        return 0;
      }
    };
    let seen = 0;
    const { code, out, err } = await interruptCli(
      [
        'replay',
        trace,
        '--target',
        'module:test/fixtures/slow-target.mjs',
        '--json-progress',
        '--json',
        json,
        '--junit',
        junit,
      ],
      // Signalled once the target has answered call 10 and one more (far from the trace's end),
      // however long the start took: the bound is only there to end a run that never gets there.
      async () => void (await waitFor(() => (seen = answered()) >= 12)),
      false,
      { env: { SLOW_TARGET_CALLS_FILE: answeredFile } },
    );
    expect(seen).toBeGreaterThanOrEqual(12);
    expect(code).toBe(130);
    // The last progress line, after the signal: how long the stop may wait, not an ETA.
    const progressed = err.split('\n').filter((l) => l.startsWith('{"progress"'));
    const final = JSON.parse(progressed.at(-1) ?? '{}') as Record<string, unknown>;
    expect(final['stoppingSeconds']).toEqual(expect.any(Number));
    expect(final).not.toHaveProperty('etaSeconds');
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      interrupted: boolean;
      summary: { traces: number; calls: number; violations: number; interrupted?: number };
      traces: { outcome: string; calls: number; violations: number; interrupted?: boolean }[];
      violations: { kind: string; callIndex: number; line?: number }[];
    };
    expect(report.interrupted).toBe(true);
    const [t] = report.traces;
    expect(t).toMatchObject({ outcome: 'fail', interrupted: true, violations: 1 });
    expect(t?.calls).toBeGreaterThanOrEqual(seen);
    expect(t?.calls).toBeLessThan(611);
    expect(report.summary).toMatchObject({ traces: 1, violations: 1, interrupted: 1 });
    expect(report.summary.calls).toBe(t?.calls);
    expect(report.violations).toEqual([
      expect.objectContaining({ kind: 'recorded-mismatch', callIndex: 10, line: 12 }),
    ]);
    expect(out).toContain('1 interrupted part way');
    expect(out).toContain('long-capture.jsonl:12 (call 10): recorded-mismatch');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(`interrupted after ${t?.calls} calls`);
    // One <error> per case: the violations before the stop are in its body.
    expect(xml).toMatch(
      /<error message="interrupted after \d+ calls: the rest of the trace was not replayed" type="interrupted">Violations before it:\s+the trace recorded ret = 0xffffd0000000beef/,
    );
    // The start and the wait may take minutes at load 30; a run that gets there stops in seconds.
  }, 240_000);
});

// `vpdma minimize --json-progress` through its phases: the first replay with the calls so far
// and the fraction of the file read, then preparing and minimizing; never the attempts cap as
// a total. The first replay's display against a stand-in for the pool's heartbeats.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { firstReplayProgress } from './minimizeProgress.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-minimize-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('minimize progress', () => {
  it('shows the first replay: calls so far, the fraction read and, at its end, the calls', async () => {
    const file = join(dir, 'big.vpt');
    writeFileSync(file, new Uint8Array(4096));
    const lines: string[] = [];
    // The heartbeats say 1,000 calls replayed and 1 KiB of the 4 KiB read.
    const inFlight = (count: (b: Int32Array) => number): number => {
      const hb = new Int32Array(10);
      hb[2] = 1000;
      hb[9] = 1;
      return count(hb);
    };
    const end = await firstReplayProgress(
      { mode: 'json', write: (t) => lines.push(t), everySeconds: 0 },
      { inFlight },
      file,
    );
    await sleep(1300);
    end(3000);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toEqual({ progress: 'minimize', done: 0, phase: 'replaying' });
    expect(parsed).toContainEqual({
      progress: 'minimize',
      done: 0,
      phase: 'replaying',
      calls: 1000,
      fraction: 0.25,
    });
    expect(parsed.at(-1)).toEqual({
      progress: 'minimize',
      done: 0,
      phase: 'replayed',
      calls: 3000,
    });
  });

  it('goes through its phases with --json-progress, with no total', async () => {
    const trace = join(dir, 't.txt');
    const SET =
      'VideoPortSetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0, bytesUsed=1)\n';
    writeFileSync(
      trace,
      '#! vpdma-trace v1 profile=docs\n' +
        SET.repeat(3) +
        'VideoPortGetBytesUsed(hwDeviceExtension=0xffffe00000001000, pDma=0x0) -> 0x5\n' +
        SET.repeat(20),
    );
    const r = await runCli(['minimize', trace, '--out', join(dir, 't.min.txt'), '--json-progress']);
    expect(r.code, r.err).toBe(1);
    const parsed = r.err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => p['phase'])).toEqual([
      'replaying',
      'replayed',
      'preparing (reading 4 calls)',
      'preparing (linking 4 calls)',
      ...parsed.slice(4).map(() => 'minimizing'),
    ]);
    expect(parsed[1]).toMatchObject({ calls: 4 }); // the first replay stopped at the violation
    expect(parsed.at(-1)).toMatchObject({ phase: 'minimizing', calls: 1, pass: 'done' });
    for (const p of parsed) expect(p).not.toHaveProperty('total');
  });
});

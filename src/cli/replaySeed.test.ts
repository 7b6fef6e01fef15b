// replay draws nothing at random: it prints a seed only when one was given (it is recorded
// then, as asked), and the seed a repro's meta records for what it is, as minimize does.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../test/support/runCli.js';
import { DEFAULT_SEED } from '../core/rng.js';
import { replaySeed } from './recordedSeed.js';

const dir = mkdtempSync(join(tmpdir(), 'vpdma-replay-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

/** A bundled trace as a fuzz repro would be: its meta records the seed that found it. */
function repro(seed: string | undefined): string {
  const text = readFileSync('corpus/events.jsonl', 'utf8');
  const path = join(dir, `repro-${seed ?? 'none'}.jsonl`);
  writeFileSync(
    path,
    seed === undefined ? text : text.replace('"meta":{', `"meta":{"seed":"${seed}",`),
  );
  return path;
}

describe('replaySeed', () => {
  it('puts seed= on the start line only when one was given, by --seed or VPDMA_SEED', async () => {
    const one = [repro(undefined)];
    expect(await replaySeed('20261128', undefined, one, {})).toMatchObject({
      onStart: '',
      seed: false,
    });
    expect(await replaySeed('9', '9', one, {})).toMatchObject({ onStart: 'seed=9 ', seed: true });
    expect(await replaySeed('5', undefined, one, { VPDMA_SEED: '5' })).toMatchObject({
      seed: true,
    });
    // An empty VPDMA_SEED (a CI template left blank) counts as unset, as for fuzz.
    expect(await replaySeed('20261128', undefined, one, { VPDMA_SEED: '' })).toMatchObject({
      seed: false,
    });
  });

  it("says what one trace's meta records, and nothing for several traces or none recorded", async () => {
    const seven = repro('7');
    expect((await replaySeed('1', undefined, [seven], {})).line).toBe(
      'vpdma replay: draws nothing at random (no seed of its own); the trace records seed=7 in its meta\n',
    );
    expect((await replaySeed('1', undefined, [repro(undefined)], {})).line).toBe('');
    expect((await replaySeed('1', undefined, [seven, seven], {})).line).toBe('');
    expect((await replaySeed('1', undefined, [join(dir, 'missing.jsonl')], {})).line).toBe('');
  });
});

describe('vpdma replay of a fuzz repro', () => {
  it("prints the seed its meta records, not the default as if it were the run's", async () => {
    vi.stubEnv('VPDMA_SEED', '');
    const r = await runCli(['replay', repro('7'), '--target', 'model', '--quiet']);
    expect(r.code).toBe(0);
    const lines = r.err.split('\n');
    expect(lines[0]).toMatch(/^vpdma replay: target=model traces=1 /);
    expect(lines[1]).toBe(
      'vpdma replay: draws nothing at random (no seed of its own); the trace records seed=7 in its meta',
    );
    expect(`${r.out}${r.err}`).not.toContain(`seed=${DEFAULT_SEED}`);
    // Given, it is recorded, and said so on both lines.
    const json = join(dir, 'given.json');
    const g = await runCli(['replay', repro('7'), '--seed', '9', '--quiet', '--json', json]);
    expect(g.err).toMatch(/^vpdma replay: seed=9 target=/);
    expect(g.out).toMatch(/, seed=9\n/);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ seed: '9' });
  });
});

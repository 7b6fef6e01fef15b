// The replay command line: a path that starts with '-' is not read as an option.
import { describe, expect, it } from 'vitest';
import { pathArgument, replayCommandLine } from './replayCommand.js';

describe('replayCommandLine', () => {
  it('guards a path that starts with a dash, and quotes every word', () => {
    expect(replayCommandLine('-x/findings/a b/repro.jsonl', { target: 'model' })).toBe(
      "vpdma replay './-x/findings/a b/repro.jsonl' --target model",
    );
    expect(pathArgument('/abs/-x')).toBe('/abs/-x');
    expect(pathArgument('-')).toBe('./-');
  });

  it('adds the profile, timeout and --explain only when given', () => {
    expect(replayCommandLine('t.jsonl', { target: 'process:./drv --x', profile: 'reactos' })).toBe(
      "vpdma replay t.jsonl --target 'process:./drv --x' --profile reactos",
    );
    expect(replayCommandLine('t.jsonl', { target: 'model', timeoutMs: 1000, explain: true })).toBe(
      'vpdma replay t.jsonl --target model --timeout 1000 --explain',
    );
  });

  it('adds --rss-limit-mb and --worker-heap-mb when given, before --explain', () => {
    const o = { target: 'module:t.mjs', rssLimitMb: 512, workerHeapMb: 64, explain: true };
    expect(replayCommandLine('t.jsonl', o)).toBe(
      'vpdma replay t.jsonl --target module:t.mjs --rss-limit-mb 512 --worker-heap-mb 64 --explain',
    );
  });
});

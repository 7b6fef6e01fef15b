import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// In a child process: the default action of a signal (death) is what is being tested.
function afterDispose(secondAfterMs: number): { status: number | null; stdout: string } {
  const module = resolve('dist/cli/interrupt.js');
  const script = `
    const { onInterrupt } = await import(${JSON.stringify(module)});
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
    const interrupt = onInterrupt(() => {});
    process.kill(process.pid, 'SIGINT');
    await sleep(20);
    interrupt.dispose(); // the command has stopped; it now writes its reports
    await sleep(${secondAfterMs});
    process.kill(process.pid, 'SIGINT');
    await sleep(100);
    console.log('reports written');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout };
}

describe('onInterrupt', () => {
  it('ignores a double tap that lands while the reports are written', () => {
    expect(afterDispose(0)).toEqual({ status: 0, stdout: 'reports written\n' });
  });

  it('quits at once, with 130, on a second signal a second later', () => {
    expect(afterDispose(1100)).toEqual({ status: 130, stdout: '' });
  });
});

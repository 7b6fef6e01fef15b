// Test support: main() run in-process, its stdout and stderr captured; the built CLI run as a
// child process and interrupted.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCli(argv: readonly string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * bin/vpdma.js (the built CLI) as a child process, sent SIGINT (`o.signal`) once `ready` resolves (a number:
 * after that many milliseconds; a function is given what the child wrote to stderr, and to stdout, so far),
 * `twice` a second time 50 ms later: its exit code and output. `o.afterSignal` runs once the
 * signal is sent (a test releases a fixture held until the child has heard it).
 */
export async function interruptCli(
  argv: readonly string[],
  ready: number | ((stderr: () => string, stdout: () => string) => Promise<unknown>),
  twice = false,
  /** `stdin`: written to its standard input, which stays open (a pipe that has not ended). */
  o: {
    stdin?: Uint8Array;
    env?: NodeJS.ProcessEnv;
    /** `again` sends the signal once more (a test's own second signal, at a moment it picks). */
    afterSignal?: (stderr: () => string, again: () => void) => Promise<void>;
    /** The signal sent (default SIGINT, Ctrl-C's). */
    signal?: NodeJS.Signals;
  } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/vpdma.js', ...argv], {
    stdio: 'pipe',
    env: { ...process.env, ...o.env },
  });
  child.stdin.on('error', () => undefined); // it exits with the pipe still open
  if (o.stdin !== undefined) child.stdin.write(o.stdin);
  let signal: NodeJS.Signals | null = null;
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code, s) => {
      signal = s;
      r(code);
    }),
  );
  let err = '';
  let out = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await (typeof ready === 'number'
    ? sleep(ready)
    : ready(
        () => err,
        () => out,
      ));
  const sent = o.signal ?? 'SIGINT';
  child.kill(sent);
  // A double tap: the second signal comes well inside interrupt.ts's REPEAT_MS.
  if (twice) {
    await sleep(50);
    child.kill(sent);
  }
  await o.afterSignal?.(
    () => err,
    () => child.kill(sent),
  );
  const code = await exited;
  return { code, signal, out, err };
}

/** bin/vpdma.js, wherever the child runs. */
const BIN = fileURLToPath(new URL('../../bin/vpdma.js', import.meta.url));

/**
 * bin/vpdma.js (the built CLI) as a child process, `stdin` piped in (nothing: an empty stdin),
 * run to its end (in `cwd`, by default this process's): its exit code and output.
 */
export async function childCli(
  argv: readonly string[],
  o: { stdin?: Uint8Array; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, [BIN, ...argv], {
    stdio: 'pipe',
    env: { ...process.env, ...o.env },
    ...(o.cwd === undefined ? {} : { cwd: o.cwd }),
  });
  let err = '';
  let out = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number>((r) => child.on('close', (code) => r(code ?? -1)));
  child.stdin.on('error', () => undefined); // a child that exits before reading it all
  child.stdin.end(o.stdin ?? new Uint8Array(0));
  return { code: await exited, out, err };
}

// Test support: main() run in-process, its stdout and stderr captured.
import type { CliIo } from './context.js';
import { main } from './main.js';

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

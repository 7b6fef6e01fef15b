// The Piscina entry for fuzz tasks: rebuild cases, replay them, return plain data (STYLE
// lesson 3). The pool (src/replay/pool.ts) loads this file; it imports no Piscina itself.
import { workerReply, type WorkerReply } from '../replay/workerReply.js';
import type { CaseResult, FuzzTask } from './protocol.js';
import { runFuzzTask } from './runCases.js';

export default function fuzzWorker(task: FuzzTask): Promise<WorkerReply<CaseResult>> {
  return workerReply(() => runFuzzTask(task));
}

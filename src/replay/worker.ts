// The Piscina worker entry: decode, replay, return plain data (STYLE lesson 3).
import { parentPort } from 'node:worker_threads';
import { EXPLAIN_MESSAGE, type ItemResult, type ReplayTask } from './protocol.js';
import { runReplayTask } from './runTask.js';
import { workerReply, type WorkerReply } from './workerReply.js';

/**
 * `--explain`'s text goes to the main thread as it is ready (the pool hears it as a message),
 * not with the result: a target that hangs or kills the thread still shows its last call.
 */
const explain = (text: string): void => parentPort?.postMessage({ [EXPLAIN_MESSAGE]: text });

export default function replayWorker(task: ReplayTask): Promise<WorkerReply<ItemResult>> {
  return workerReply(() => runReplayTask(task, explain));
}

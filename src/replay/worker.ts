// The Piscina worker entry: decode, replay, return plain data (STYLE lesson 3).
import type { ItemResult, ReplayTask } from './protocol.js';
import { runReplayTask } from './runTask.js';
import { workerReply, type WorkerReply } from './workerReply.js';

export default function replayWorker(task: ReplayTask): Promise<WorkerReply<ItemResult>> {
  return workerReply(() => runReplayTask(task));
}

// The Piscina worker entry: decode, replay, return plain data (STYLE lesson 3).
import type { ItemResult, ReplayTask } from './protocol.js';
import { runReplayTask } from './runTask.js';

export default function replayWorker(task: ReplayTask): Promise<ItemResult[]> {
  return runReplayTask(task);
}

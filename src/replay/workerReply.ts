// What a pool worker hands back: its results, or the harness's own failure as text. A task
// whose promise rejects anyway can then only mean that the worker thread itself died (the
// target exited it, ran it out of memory, or threw outside any call), which the pool reports
// against the trace or case in hand instead of ending the whole run.
export type WorkerReply<R> = { readonly results: R[] } | { readonly harnessError: string };

export async function workerReply<R>(run: () => Promise<R[]>): Promise<WorkerReply<R>> {
  try {
    return { results: await run() };
  } catch (e) {
    return { harnessError: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

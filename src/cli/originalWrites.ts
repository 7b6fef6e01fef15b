// A finding's original on disk the moment the campaign first sees its group, as libFuzzer's
// crash-<sha1> is: the failing case as it ran, as original.txt and original.vpt in the directory
// of the finding it would be (the signature of its first violation), before any minimizing, so
// a run killed outright (a CI job's timeout) still leaves it. The campaign sees groups in case
// order, so these are the same cases for any --workers. Once the findings are written, each has
// its own case's original beside its repro (findingFiles.ts), and an original written here
// beside no finding of the run (its repro showed another signature first, or never failed
// again) is removed: the files a run ends with do not depend on how far it got.
import { access, rm, rmdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { signatureOfViolation } from '../fuzz/findings.js';
import type { ReportFinding } from '../fuzz/fuzzReport.js';
import { printRepro } from '../replay/reproText.js';
import type { Violation } from '../replay/violation.js';
import { originalFiles, writeOriginal } from '../store/corpus.js';
import type { Trace } from '../trace/trace.js';
import { findingDir } from './findingFiles.js';

/** What is said when a group is first seen: a line, or a JSON line with --json-progress. */
export interface NewFinding {
  readonly caseIndex: number;
  readonly kind: string;
  readonly fn: string;
  readonly signature: string;
  /** original.txt's path; undefined when an earlier run's finding of that signature is there. */
  readonly original?: string;
  /** That finding's directory, when its files were left as they are. */
  readonly earlier?: string;
}

export interface OriginalWrites {
  readonly write: (trace: Trace, caseIndex: number, v: Violation) => Promise<void>;
  readonly settle: (findings: readonly ReportFinding[]) => Promise<void>;
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const removedDir = (path: string): Promise<boolean> =>
  rmdir(path).then(
    () => true,
    () => false,
  );

export function originalWrites(out: string, say: (n: NewFinding) => void): OriginalWrites {
  /** Signatures whose original this run wrote early. */
  const written = new Set<string>();
  return {
    write: async (trace, caseIndex, v) => {
      const signature = signatureOfViolation(v);
      const dir = findingDir(out, signature);
      const said = { caseIndex, kind: v.kind, fn: v.fn, signature };
      // An earlier run's finding of that signature keeps its files together (keptInstead):
      // this run's original goes there only with this run's finding, if one is written.
      if (await exists(resolve(dir, 'finding.json'))) return say({ ...said, earlier: dir });
      const files = await writeOriginal(dir, trace, printRepro(trace));
      written.add(signature);
      say({ ...said, original: files.txt });
    },
    settle: async (findings) => {
      const beside = new Set(findings.filter((f) => f.kept !== true).map((f) => f.signature));
      const top = resolve(out, 'findings');
      for (const signature of written) {
        if (beside.has(signature)) continue;
        const dir = findingDir(out, signature);
        const files = originalFiles(dir);
        await Promise.all([files.txt, files.vpt].map((f) => rm(f, { force: true })));
        // Its directories too, up to findings/, as far as they are left empty.
        let d = resolve(dir);
        while (d.startsWith(top + sep) && (await removedDir(d))) d = dirname(d);
      }
    },
  };
}

/** The line (or JSON line) for a new finding. */
export function newFindingText(command: string, n: NewFinding, json: boolean): string {
  if (json)
    return `${JSON.stringify({
      event: 'new finding',
      case: n.caseIndex,
      kind: n.kind,
      fn: n.fn,
      signature: n.signature,
      ...(n.original === undefined ? {} : { original: n.original }),
      ...(n.earlier === undefined ? {} : { earlier: n.earlier }),
    })}\n`;
  const where =
    n.original !== undefined
      ? `original: ${n.original}`
      : `an earlier run's finding of it is in ${n.earlier ?? '?'}`;
  return `vpdma ${command}: new finding at case ${n.caseIndex}: ${n.kind} in ${n.fn} (${where})\n`;
}

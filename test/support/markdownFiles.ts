// The repository's Markdown files (README.md, docs/, examples/...), for the tests that check
// what the pages say: links, code examples, command lines.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What a checkout may hold that is not the repository's own pages. */
const SKIP = new Set(['node_modules', 'dist', 'dist-check', 'vpdma-out', 'coverage']);

/** The absolute paths of the Markdown files under `dir`, skipping dot and build directories. */
export function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) markdownFiles(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

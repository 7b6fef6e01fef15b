// The package version, read from package.json (two levels up from both src/cli and dist/cli).
import { readFileSync } from 'node:fs';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
  return cached;
}

// Target SPECs (docs/design.md "Command line"): model, model:docs, model:reactos, model:alternate,
// module:PATH, process:COMMAND, mutant:NAME (TARGET_SPECS).
import { isProfile, PROFILES, type Profile } from '../model/device.js';
import type { Result } from '../core/result.js';

/** The model SPECs: the reference model, by profile, and with the alternate allocator. */
export const MODEL_SPECS: readonly string[] = [
  'model',
  ...PROFILES.map((p) => `model:${p}`),
  'model:alternate',
];

/** Every form of SPEC, as help texts and error messages list them. */
export const TARGET_SPECS: readonly string[] = [
  ...MODEL_SPECS,
  'module:PATH',
  'process:COMMAND',
  'mutant:NAME',
];

/** "a, b or c". */
const orList = (items: readonly string[]): string =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;

export type TargetSpec =
  | { readonly kind: 'model'; readonly profile?: Profile; readonly layout: 'default' | 'alternate' }
  | { readonly kind: 'module'; readonly path: string }
  | { readonly kind: 'process'; readonly command: string }
  | { readonly kind: 'mutant'; readonly name: string };

export function parseTargetSpec(text: string): Result<TargetSpec, string> {
  const colon = text.indexOf(':');
  const head = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  switch (head) {
    case 'model': {
      if (rest === '') return { ok: true, value: { kind: 'model', layout: 'default' } };
      if (rest === 'alternate') return { ok: true, value: { kind: 'model', layout: 'alternate' } };
      if (isProfile(rest))
        return { ok: true, value: { kind: 'model', profile: rest, layout: 'default' } };
      return {
        ok: false,
        error: `unknown model profile "${rest}" (use ${orList(MODEL_SPECS)})`,
      };
    }
    case 'module':
      return rest === ''
        ? { ok: false, error: 'module: needs a path, e.g. module:./my-target.js' }
        : { ok: true, value: { kind: 'module', path: rest } };
    case 'process':
      return rest.trim() === ''
        ? { ok: false, error: 'process: needs a command, e.g. process:./my-target' }
        : { ok: true, value: { kind: 'process', command: rest } };
    case 'mutant':
      return rest === ''
        ? { ok: false, error: 'mutant: needs a name (see vpdma fuzz --help)' }
        : { ok: true, value: { kind: 'mutant', name: rest } };
    default:
      return {
        ok: false,
        error: `unknown target "${text}" (use ${orList(TARGET_SPECS)})`,
      };
  }
}

export function formatTargetSpec(spec: TargetSpec): string {
  switch (spec.kind) {
    case 'model':
      return spec.layout === 'alternate'
        ? 'model:alternate'
        : spec.profile === undefined
          ? 'model'
          : `model:${spec.profile}`;
    case 'module':
      return `module:${spec.path}`;
    case 'process':
      return `process:${spec.command}`;
    case 'mutant':
      return `mutant:${spec.name}`;
  }
}

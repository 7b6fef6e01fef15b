// The SPEC forms listed in help texts and error messages are the ones the parser takes, all of
// them (TARGET_SPECS is the one list).
import { describe, expect, it } from 'vitest';
import { formatTargetSpec, MODEL_SPECS, parseTargetSpec, TARGET_SPECS } from './targetSpec.js';

const example = (form: string): string =>
  form.replace('PATH', './t.mjs').replace('COMMAND', './t --x').replace('NAME', 'some-bug');

describe('target SPECs', () => {
  it('every listed form parses, and prints back as written', () => {
    for (const form of TARGET_SPECS) {
      const r = parseTargetSpec(example(form));
      expect(r.ok, form).toBe(true);
      if (r.ok) expect(formatTargetSpec(r.value)).toBe(example(form));
    }
    expect(TARGET_SPECS).toEqual(expect.arrayContaining(['model:docs', 'model:alternate']));
  });

  it('an unknown target or model profile names every form', () => {
    const bogus = parseTargetSpec('bogus');
    expect(bogus).toEqual({
      ok: false,
      error:
        'unknown target "bogus" (use model, model:docs, model:reactos, model:alternate, module:PATH, process:COMMAND or mutant:NAME)',
    });
    const model = parseTargetSpec('model:foo');
    expect(model.ok).toBe(false);
    if (!model.ok) for (const form of MODEL_SPECS) expect(model.error).toContain(form);
  });
});

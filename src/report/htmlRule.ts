// The rule a violation cites (replay/ruleSource.ts) on the HTML page: the spec's rule as text,
// and the docs/spec-gaps.md entry of a check stricter than the documentation as a link.
import type { RuleSource } from '../replay/ruleSource.js';
import { esc, pathHref } from './htmlEscape.js';

/**
 * A link to one of vpdma's docs, "docs/spec-gaps.md#anchor": its path percent-encoded as a
 * trace's is (no scheme can sneak in), under `root` (the install vpdma's docs/ is in) when
 * given, its anchor encoded apart so that the `#` stays one; the text is the link as cited.
 */
export function docLinkHtml(link: string, root?: string): string {
  const hash = link.indexOf('#');
  const path = hash < 0 ? link : link.slice(0, hash);
  const anchor = hash < 0 ? '' : `#${encodeURIComponent(link.slice(hash + 1))}`;
  const where = root === undefined ? path : `${root.replace(/[\\/]+$/, '')}/${path}`;
  return `<a href="${pathHref(where)}${esc(anchor)}">${esc(link)}</a>`;
}

/** " <span class="rule">(rule: spec §1 B; stricter ...: <a>...</a>)</span>", or '' if none. */
export function ruleHtml(v: RuleSource, root?: string): string {
  const parts = [
    ...(v.rule === undefined ? [] : [`rule: ${esc(v.rule)}`]),
    ...(v.stricter === undefined
      ? []
      : [`stricter than the documentation: see ${docLinkHtml(v.stricter, root)}`]),
  ];
  return parts.length === 0 ? '' : ` <span class="rule">(${parts.join('; ')})</span>`;
}

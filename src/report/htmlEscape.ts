// HTML escaping for every untrusted string (messages, repro text, paths, names): safe in
// element content and in double- or single-quoted attribute values.
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Control characters other than tab and line breaks are dropped; lone surrogates replaced. */
export function esc(text: string | number): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITY[c] ?? c);
}

/**
 * A link target for a path from the report: every segment percent-encoded, so no path (not
 * even "javascript:…") can become a URL with a scheme; absolute paths become file: URLs.
 */
export function pathHref(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  if (slashed.startsWith('/')) return esc(`file://${encoded}`);
  if (/^[A-Za-z]:\//.test(slashed)) return esc(`file:///${encoded.replace('%3A', ':')}`);
  return esc(encoded); // ':' is %3A in every segment: no scheme
}

/**
 * How the page shows a replayed trace: its text, and where its link points from the page (no
 * link: a file a downloaded copy of --out would not have, e.g. vpdma's bundled corpus).
 */
export interface TraceRef {
  readonly text: string;
  readonly href?: string;
}

export type TraceRefOf = (trace: string) => TraceRef;

/** As the report names it, linked there (the page's tests, a report of relative paths). */
export const traceAsNamed: TraceRefOf = (trace) => ({ text: trace, href: trace });

/** A trace as a link, or as code when it has none. */
export function traceHtml(ref: TraceRef): string {
  return ref.href === undefined
    ? `<code>${esc(ref.text)}</code>`
    : `<a href="${pathHref(ref.href)}">${esc(ref.text)}</a>`;
}

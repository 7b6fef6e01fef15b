// The HTML report's only style sheet and script, inline, and the Content-Security-Policy that
// admits exactly these two (by hash) and nothing else: no network, no other script, so even a
// rendering bug that let markup through could not run or load anything.
import { createHash } from 'node:crypto';

export const CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #5a6470; --line: #d0d7de;
  --accent: #0b5cad; --new: #b35900; --open: #6639ba; --regressed: #c4001a; --fixed: #1a7f37;
  --mark: #fff3b0; --badge: #fff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9aa6b2;
  --line: #30363d; --accent: #58a6ff; --new: #f0883e; --open: #a371f7; --regressed: #ff6b6b;
  --fixed: #3fb950; --mark: #5a4a00; --badge: #0d1117; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { border-bottom: 1px solid var(--line);
  padding-bottom: .2rem; margin-top: 2rem; } h3 { font-size: 1.1rem; } h4 { margin: 1rem 0 .3rem; }
a { color: var(--accent); } .muted { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left;
  vertical-align: top; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.grid2 { display: flex; flex-wrap: wrap; gap: 0 2rem; align-items: flex-start; }
code, pre { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: color-mix(in srgb, var(--fg) 6%, transparent); border: 1px solid var(--line);
  padding: .6rem; overflow-x: auto; white-space: pre; margin: .3rem 0; }
pre mark { background: var(--mark); color: inherit; }
.finding { border: 1px solid var(--line); border-radius: 6px; padding: 0 1rem .8rem;
  margin: 1rem 0; } .message { font-weight: 600; overflow-wrap: anywhere; }
.at-call li { overflow-wrap: anywhere; }
.rule { font-weight: normal; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.status { display: inline-block; border-radius: 1rem; padding: 0 .55rem; font-size: .85rem;
  color: var(--badge); } .status-new { background: var(--new); } .status-open { background: var(--open); }
.status-regressed { background: var(--regressed); } .status-fixed { background: var(--fixed); }
.status-known { background: var(--accent); }
.outcome-pass { color: var(--fixed); } .outcome-fail, .outcome-crash, .outcome-timeout,
.outcome-invalid, .outcome-setup-failed { color: var(--regressed); font-weight: 600; }
.command { display: flex; gap: .5rem; align-items: flex-start; flex-wrap: wrap; }
.command pre { flex: 1 1 30rem; margin: 0; } button { font: inherit; padding: .2rem .8rem; }
.banner { border: 2px solid var(--regressed); padding: .5rem 1rem; font-weight: 600; }
figure { margin: .5rem 0; } figcaption { font-weight: 600; }
svg.plot { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg.plot text { fill: var(--fg); } svg.plot .label { fill: var(--muted); font-size: 12px; }
svg.plot .grid { stroke: var(--line); } svg.plot .frame, svg.plot .tick { stroke: var(--muted); }
svg.plot .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg.plot .dot { fill: var(--accent); }
`;

/** Copy buttons: navigator.clipboard where allowed, else select the text for Ctrl+C. */
export const SCRIPT = `
'use strict';
document.addEventListener('click', function (ev) {
  var button = ev.target instanceof Element ? ev.target.closest('button[data-copy]') : null;
  if (!button) return;
  var id = button.getAttribute('data-copy') || '';
  var source = document.getElementById(id);
  var status = document.getElementById(id + '-status');
  if (!source) return;
  var say = function (text) { if (status) status.textContent = text; };
  var select = function () {
    var range = document.createRange();
    range.selectNodeContents(source);
    var sel = window.getSelection();
    if (sel) { sel.removeAllRanges(); sel.addRange(range); }
    var copied = false;
    try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
    say(copied ? 'Copied.' : 'Selected: press Ctrl+C to copy.');
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(source.textContent || '').then(function () { say('Copied.'); }, select);
  } else {
    select();
  }
});
`;

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const CSP = [
  "default-src 'none'",
  `style-src ${sha256(CSS)}`,
  `script-src ${sha256(SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

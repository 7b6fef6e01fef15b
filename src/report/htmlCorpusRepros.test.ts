// The HTML report's note under the corpus repros when their minimization stopped: what the stop
// left, not "those left" when it cut short only the last trace.
import { describe, expect, it } from 'vitest';
import { nightlyFixture } from '../../test/support/reportFixtures.js';
import { corpusReprosHtml } from './htmlCorpusRepros.js';
import { traceAsNamed } from './htmlEscape.js';
import type { NightlyReport } from './nightlySchema.js';

const note = (corpus: Partial<NightlyReport['corpus']>): string => {
  const r = nightlyFixture();
  const html = corpusReprosHtml({ corpus: { ...r.corpus, ...corpus } }, traceAsNamed);
  return html.filter((l) => l.startsWith('<p>Minimizing')).join('\n');
};

describe('the corpus repros’ stop note', () => {
  it('says none was left when the stop cut short only the last trace', () => {
    const text = note({ minimizeStoppedBy: 'signal', minimizeLeft: 0 });
    expect(text).toBe(
      '<p>Minimizing the failing corpus traces stopped (interrupted) during the last one: its repro was written as it stood (cut short), and none was left unminimized.</p>',
    );
  });

  it('counts those left when there were', () => {
    expect(note({ minimizeStoppedBy: 'time', minimizeLeft: 3 })).toBe(
      '<p>Minimizing the failing corpus traces stopped (<code>--minimize-time</code> spent): 3 failing traces left not minimized (each keeps its <code>vpdma minimize</code> command).</p>',
    );
  });

  it('an older report, without the count: those left, as it always said', () => {
    expect(note({ minimizeStoppedBy: 'time' })).toContain('those left were not minimized');
    expect(note({})).toBe('');
  });
});

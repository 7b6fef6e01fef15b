// Test support: the Chromium that the browser tests drive (Debian's, or $VPDMA_CHROMIUM), and
// the flags that keep it headless and off the network.

export const CHROMIUM_PATH = process.env['VPDMA_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

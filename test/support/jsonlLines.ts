// Test support: the lines of a tiny captured JSONL trace (reactos profile): its header, an
// adapter got, the adapter put back. The CLI tests write files from them.

export const HEADER =
  '{"format":"vpdma-trace","version":1,"profile":"reactos","device":{},"meta":{}}';
export const GET =
  '{"fn":"VideoPortGetDmaAdapter","args":{"hwDeviceExtension":"0xffffe00000001000","vpDeviceDescription":' +
  '{"scatterGather":true,"dma32BitAddresses":true,"dma64BitAddresses":false,"maximumLength":65536}},' +
  '"ret":"0xffffc00000000010"}';
export const PUT =
  '{"fn":"VideoPortPutDmaAdapter","args":{"hwDeviceExtension":"0xffffe00000001000","vpDmaAdapter":"0xffffc00000000010"}}';

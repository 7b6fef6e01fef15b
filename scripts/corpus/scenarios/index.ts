// Every corpus scenario, in the order corpus/README.md lists them.
import type { Scenario } from '../scenario.js';
import { commonBufferRing, legacyCommonBuffers } from './commonBuffers.js';
import {
  reactosAnswers,
  reactosBankedMemory,
  reactosPaletteCap,
  reactosStartDmaLength,
  reactosStartDmaOffset,
  reactosUnmapProcessHandle,
} from './divergences.js';
import { eventSignalling } from './events.js';
import { legacyLockPages, legacyMapDmaDuringTransfers } from './legacyInflight.js';
import { legacyMapDmaFlags, legacyMapDmaRequestPackets } from './legacyMapDma.js';
import { alternateSession, orderlyTeardown, poolHelpers } from './lifecycle.js';
import { findAdapterMappings, vgaIoPorts } from './mapping.js';
import { packetDmaFromDevice, packetDmaNoScatterGather, packetDmaToDevice } from './packet.js';
import { mapRegisterSplit, multiAdapter } from './split.js';

export const SCENARIOS: readonly Scenario[] = [
  findAdapterMappings,
  packetDmaToDevice,
  packetDmaFromDevice,
  packetDmaNoScatterGather,
  mapRegisterSplit,
  commonBufferRing,
  legacyMapDmaFlags,
  legacyMapDmaRequestPackets,
  legacyMapDmaDuringTransfers,
  eventSignalling,
  legacyCommonBuffers,
  orderlyTeardown,
  vgaIoPorts,
  legacyLockPages,
  poolHelpers,
  multiAdapter,
  alternateSession,
  reactosAnswers,
  reactosPaletteCap,
  reactosBankedMemory,
  reactosStartDmaOffset,
  reactosStartDmaLength,
  reactosUnmapProcessHandle,
];

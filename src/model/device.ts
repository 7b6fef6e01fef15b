// The simulated adapter a trace header describes (DESIGN.md "Trace interchange format").
// Every field is optional in the file; resolveDevice fills the documented defaults.

export interface Aperture {
  readonly name: string;
  /** Bus-relative base address. */
  readonly base: bigint;
  readonly length: number;
  readonly space: 'memory' | 'io';
}

export interface DmaConfig {
  readonly scatterGather: boolean;
  readonly dma32BitAddresses: boolean;
  readonly dma64BitAddresses: boolean;
  /** Largest transfer one StartDma may grant, bytes. */
  readonly maximumLength: number;
  /** Map registers each adapter owns (one maps one 4 KiB page of a transfer). */
  readonly mapRegisters: number;
}

export interface DeviceConfig {
  readonly apertures: readonly Aperture[];
  readonly systemMemoryBytes: number;
  readonly dma: DmaConfig;
}

/** The header's `device` as written: any subset of DeviceConfig. */
export interface DeviceSpec {
  readonly apertures?: readonly Aperture[];
  readonly systemMemoryBytes?: number;
  readonly dma?: Partial<DmaConfig>;
}

const DEFAULT_APERTURES: readonly Aperture[] = [
  { name: 'framebuffer', base: 0xe0000000n, length: 16777216, space: 'memory' },
  { name: 'mmio', base: 0xf0000000n, length: 65536, space: 'memory' },
  { name: 'vga', base: 0x3c0n, length: 32, space: 'io' },
];

const DEFAULT_DMA: DmaConfig = {
  scatterGather: true,
  dma32BitAddresses: true,
  dma64BitAddresses: false,
  maximumLength: 1048576,
  mapRegisters: 64,
};

const DEFAULT_SYSTEM_MEMORY_BYTES = 268435456;

export function resolveDevice(spec: DeviceSpec = {}): DeviceConfig {
  return {
    apertures: spec.apertures ?? DEFAULT_APERTURES,
    systemMemoryBytes: spec.systemMemoryBytes ?? DEFAULT_SYSTEM_MEMORY_BYTES,
    dma: { ...DEFAULT_DMA, ...spec.dma },
  };
}

export const DEFAULT_DEVICE: DeviceConfig = resolveDevice();

export type Profile = 'docs' | 'reactos';
export const PROFILES: readonly Profile[] = ['docs', 'reactos'];

export function isProfile(text: string): text is Profile {
  return text === 'docs' || text === 'reactos';
}

/** The oracle profile when neither the run (--profile) nor the trace's header names one. */
export const DEFAULT_PROFILE: Profile = 'docs';

/** The profile a trace replays under: the run's `override`, else its header's, else docs. */
export function profileOf(
  header: { readonly profile?: Profile | undefined } | undefined,
  override?: Profile,
): Profile {
  return override ?? header?.profile ?? DEFAULT_PROFILE;
}

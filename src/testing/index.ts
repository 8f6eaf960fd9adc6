/**
 * Test helpers (`l2tp-wire/testing`): a seeded lossy link and a two-Sequencer simulation on a
 * virtual clock, deterministic for a seed.
 * @module
 */
export { Prng } from './prng.js';
export { SimulatedLink } from './link.js';
export type { LinkOptions, LinkStats } from './link.js';
export { Simulation } from './simulation.js';
export type { SimEndpoint, SimMessage, SimulationOptions } from './simulation.js';
export {
  memoryTransportPair,
  type MemoryTransportPair,
  type MemoryTransportPairOptions,
  type MemoryLinkFilter,
  type MemoryLinkRecord,
  type MemoryEnd,
} from '../transports/memory.js';

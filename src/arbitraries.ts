/**
 * Entry point of `l2tp-wire/arbitraries` (see `./arbitraries/index.ts`).
 * @packageDocumentation
 */
export * from './arbitraries/index.js';

/** The execution monitor's pure parts (no I/O, no Temporal): see types.ts for the vocabulary. */
export * from './types';
export * from './window';
export * from './metrics';
export * from './alerts';
export * from './alert-event';
export * from './observations';
export * from './limits';

/**
 * Three projects so `make test` can run everything, and a developer can run one layer:
 *   unit     — pure code, nothing running
 *   sim      — the simulator through real ccxt (starts the simulator in-process)
 *   temporal — workflows on a real Temporal dev server started once per run (globalSetup)
 * Tests are transformed with SWC (fast); types are checked separately by `tsc --noEmit`.
 *
 * ccxt's CommonJS build requires ES-module-only packages (@noble/*, @scure/*). Node 20 loads
 * them natively, but jest's module runtime cannot require ESM before Node 24.9, so SWC compiles
 * those packages to CommonJS for tests (transformIgnorePatterns lets them through).
 */
const swc = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.(ts|js|mjs)$': swc },
  // cookie (ESM only) is required by light-my-request, Fastify's `inject` in the API tests.
  transformIgnorePatterns: ['/node_modules/(?!(@noble|@scure|cookie)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
};

module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...base, displayName: 'sim', testMatch: ['<rootDir>/test/sim/**/*.test.ts'] },
    {
      ...base,
      displayName: 'temporal',
      testMatch: ['<rootDir>/test/temporal/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};

/**
 * Three projects so `make test` can run everything, and a developer can run one layer:
 *   unit     — pure code, nothing running
 *   sim      — the simulator through real ccxt (starts the simulator in-process)
 *   temporal — workflows on a real Temporal dev server started once per run (globalSetup)
 * Tests are transformed with SWC (fast); types are checked separately by `tsc --noEmit`.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const base = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

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

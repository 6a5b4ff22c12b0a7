/**
 * Jest, one project per test layer (`npm run test:unit`, `test:integration`, `test:security`, `test:infra`,
 * `test:browser` run one each; `npm test` runs them all). TypeScript goes through SWC: type checking
 * is `npm run typecheck`, run first by `npm test`.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const layer = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  roots: [`<rootDir>/test/${name}`],
  testMatch: ['**/*.test.ts'],
  transform,
  setupFiles: ['<rootDir>/local/polyfills.ts', ...(extra.setupFiles ?? [])],
});

module.exports = {
  projects: [
    layer('unit', { setupFiles: ['<rootDir>/test/support/quiet-handler-logs.ts'] }),
    layer('integration'),
    layer('security'),
    layer('infra'),
    layer('browser'),
  ],
  // Once per run: which suites skip on this machine, and why (test/support/system-programs.ts).
  globalSetup: '<rootDir>/test/support/report-skips.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};

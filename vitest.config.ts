import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'all', include: ['test/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] },
      },
      // Every scan test again on the WebAssembly YARA-X (the fallback where the native engine can't load).
      {
        extends: true,
        test: {
          name: 'scan-wasm',
          include: ['test/scan/**/*.test.ts'],
          env: { TELLTALE_YARA_ENGINE: 'wasm' },
        },
      },
    ],
  },
});

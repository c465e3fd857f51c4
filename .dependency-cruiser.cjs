/**
 * Import direction (shared/DESIGN.md; `npm run lint` runs it): the CLI goes through the library API
 * (src/index.ts) only, nothing below the API imports it, the KQL compiler knows nothing of hunts or
 * the CLI, and no module imports itself round a cycle (type-only imports included).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle makes load order matter and the layers meaningless',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'cli-through-index',
      severity: 'error',
      comment: 'src/cli/ is a shell over the library API: it imports src/index.ts, never a stage',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$'] },
    },
    {
      name: 'api-is-the-top',
      severity: 'error',
      comment: 'stages sit below the API: only the CLI imports src/index.ts',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$'] },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'kql-below-hunts',
      severity: 'error',
      comment: 'the KQL compiler knows nothing of hunts or the CLI',
      from: { path: '^src/kql/' },
      to: { path: '^src/(hunts|cli)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};

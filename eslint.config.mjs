import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/** Drivers and clients that only adapter libs may import: apps depend on our ports instead. */
const adapterPackages = [
  'kafkajs',
  'bull',
  'ioredis',
  'pg',
  'chdb',
  '@clickhouse/client',
  '@electric-sql/pglite',
  '@aws-sdk/client-s3',
];

/** The services' packages: only apps/pipeline (tag type:bundle) may import them. */
const SERVICE_APPS = [
  '@tributary/ingest-api',
  '@tributary/speed-layer',
  '@tributary/batch-layer',
  '@tributary/serving-api',
];

export default [
  {
    ignores: ['**/dist', '**/node_modules', '**/coverage', '.nx', '.services', '.cache', 'tmp'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Async correctness: a dropped promise in a pipeline is lost data or an unhandled crash.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'CallExpression[callee.property.name="only"]', message: 'No committed .only' },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Service definitions the one-process pipeline composes (Nx forbids importing
          // applications outright); that no other app imports them is checked below.
          allow: SERVICE_APPS,
          depConstraints: [
            {
              // Apps are deployables: they compose libs and never import another app.
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:lib'],
              bannedExternalImports: adapterPackages,
            },
            {
              // The one-process pipeline composes the apps' service definitions: the only
              // project allowed to import apps, and it still talks to drivers through libs.
              sourceTag: 'type:bundle',
              onlyDependOnLibsWithTags: ['type:lib', 'type:app'],
              bannedExternalImports: adapterPackages,
            },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['apps/pipeline/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: SERVICE_APPS.map((name) => ({ name, message: 'Apps never import apps.' })) },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: {
      // Specs may reach the real drivers to observe what adapters did.
      '@nx/enforce-module-boundaries': 'off',
    },
  },
  prettier,
];

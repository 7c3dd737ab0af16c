import { createProjectGraphAsync } from '@nx/devkit';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Workspace guard: the dependency rules in eslint.config.mjs really fail lint. Each probe is a real
 * file in an app's source folder; all are linted in one ESLint run with the workspace config (as a
 * child process, as `npm run lint` does), then removed.
 */
const repoRoot = join(__dirname, '..', '..', '..');
const probes = {
  lib: "import { PlatformModule } from '@tributary/platform';\nexport const m = PlatformModule;\n",
  appByName: "import { x } from '@tributary/serving-api';\nexport const y = x;\n",
  appByPath:
    "import { ServingApiModule } from '../../serving-api/src/serving-api.module';\nexport const m = ServingApiModule;\n",
  driver: "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n",
  /** The one-process pipeline (apps/pipeline) is the one project that composes apps. */
  bundleApp: "import { servingApi } from '@tributary/serving-api';\nexport const s = servingApi;\n",
};
type Probe = keyof typeof probes;

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}

async function lintProbes(): Promise<Record<Probe, string[]>> {
  const files = Object.fromEntries(
    Object.keys(probes).map((name) => [
      name,
      join(
        repoRoot,
        'apps',
        name === 'bundleApp' ? 'pipeline' : 'ingest-api',
        'src',
        `boundary-probe-${name}-${process.pid}.ts`,
      ),
    ]),
  ) as Record<Probe, string>;
  for (const name of Object.keys(probes) as Probe[]) writeFileSync(files[name], probes[name]);
  try {
    const eslint = join(repoRoot, 'node_modules', '.bin', 'eslint');
    const output = await promisify(execFile)(
      eslint,
      ['--format', 'json', ...Object.values(files)],
      {
        cwd: repoRoot,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).then(
      (ok) => ok.stdout,
      (failed: { stdout?: string }) => failed.stdout ?? '', // exit 1 = lint errors, expected here
    );
    const results = JSON.parse(output) as LintResult[];
    const errors = (name: Probe) =>
      (results.find((r) => r.filePath === files[name])?.messages ?? [])
        .filter(
          (m) =>
            m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports',
        )
        .map((m) => m.message);
    return {
      lib: errors('lib'),
      appByName: errors('appByName'),
      appByPath: errors('appByPath'),
      driver: errors('driver'),
      bundleApp: errors('bundleApp'),
    };
  } finally {
    for (const file of Object.values(files)) rmSync(file, { force: true });
  }
}

describe('module boundaries', () => {
  let errors: Record<Probe, string[]>;

  beforeAll(async () => {
    await createProjectGraphAsync({ exitOnError: false }); // the lint rule reads the cached graph
    errors = await lintProbes();
  }, 180_000);

  it('lets an app import a lib', () => {
    expect(errors.lib).toEqual([]);
  });

  it('fails lint when an app imports another app by package name', () => {
    expect(errors.appByName.join('\n')).toMatch(
      /Imports of apps are forbidden|can only depend on|Apps never import apps/,
    );
  });

  it("lets the one-process pipeline import a service's definition", () => {
    expect(errors.bundleApp).toEqual([]);
  });

  it('fails lint when an app imports another app by relative path', () => {
    expect(errors.appByPath).not.toEqual([]);
  });

  it('fails lint when an app imports a driver instead of a port', () => {
    expect(errors.driver.join('\n')).toMatch(/kafkajs/);
  });
});

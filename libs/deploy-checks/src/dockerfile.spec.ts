import { dockerStages, envKeys, loadDockerStages, parseDockerfile } from './dockerfile';
import { envKeyProblems } from './env-keys';
import { readRepoFile, repoFileExists } from './repo';
import { SERVICES } from './services';

const stages = loadDockerStages();
const runtime = stages[stages.length - 1];
const build = stages[0];
const all = (stage: typeof runtime, keyword: string) =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);

describe('Dockerfile', () => {
  it('is multi-stage: a build stage and a separate runtime stage on Node 20 (Debian, glibc)', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20-bookworm-slim$/);
  });

  it('builds as the README says: npm ci, then every project through Nx, then prunes dev deps', () => {
    const runs = all(build, 'RUN')
      .map((run) => run.args)
      .join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/nx run-many -t build/);
    expect(runs).toMatch(/npm prune --omit=dev/);
    // Each project's package.json and dist/, so @tributary/* links resolve to libs/<name>/dist.
    expect(runs).toMatch(/for project in apps\/\* libs\/\*/);
    expect(runs).toMatch(/"\$\{project\}\/package\.json" "\$\{project\}\/dist"/);
  });

  it('runtime stage copies only the build output, installs nothing and runs as a non-root user', () => {
    const copies = all(runtime, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.args).toMatch(/^--from=build\b/);
    expect(all(runtime, 'RUN')).toEqual([]);
    const users = all(runtime, 'USER');
    expect(users).toHaveLength(1);
    expect(users[0].args).not.toMatch(/^(root|0)(:|$)/);
    // USER comes after the last COPY, so nothing of the runtime is written as that user's.
    expect(users[0].line).toBeGreaterThan(copies[copies.length - 1].line);
  });

  it('defaults to a service command that exists, and exposes the four service ports', () => {
    const [cmd] = all(runtime, 'CMD');
    const command = JSON.parse(cmd.args) as string[];
    expect(command).toEqual(SERVICES[0].command);
    for (const service of SERVICES)
      expect(repoFileExists(`apps/${service.name}/src/main.ts`)).toBe(true);
    const exposed = all(runtime, 'EXPOSE')
      .flatMap((expose) => expose.args.split(/\s+/))
      .map(Number);
    expect(exposed).toEqual(SERVICES.map((service) => service.port));
    expect(all(runtime, 'STOPSIGNAL').map((s) => s.args)).toEqual(['SIGTERM']);
  });

  it('sets only TRIBUTARY_* settings that libs/config accepts', () => {
    const keys = all(runtime, 'ENV')
      .flatMap(envKeys)
      .filter((key) => key.startsWith('TRIBUTARY_'));
    expect(keys).toEqual(['TRIBUTARY_PROFILE', 'TRIBUTARY_HOST']);
    expect(envKeyProblems(keys)).toEqual([]);
  });

  it('.dockerignore keeps build output, local state, secrets and git out of the context', () => {
    const ignored = readRepoFile('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const entry of [
      '.git',
      '**/node_modules',
      '**/dist',
      '.services',
      '.cache',
      '.tributary',
      '.env',
      '.nx',
    ]) {
      expect(ignored).toContain(entry);
    }
  });

  it('the parser joins continuations, drops comments and resolves ARG defaults in FROM', () => {
    const text =
      'ARG BASE=node:20\n# c\nFROM ${BASE} AS one\nRUN a \\\n  # inner\n  && b\nFROM one\n';
    expect(parseDockerfile(text).map((i) => [i.keyword, i.args])).toEqual([
      ['ARG', 'BASE=node:20'],
      ['FROM', '${BASE} AS one'],
      ['RUN', 'a  && b'],
      ['FROM', 'one'],
    ]);
    expect(dockerStages(text).map((s) => [s.from, s.name])).toEqual([
      ['node:20', 'one'],
      ['one', undefined],
    ]);
  });
});

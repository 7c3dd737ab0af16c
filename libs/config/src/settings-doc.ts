import { describeSettings, type SettingDescription } from './describe';

/**
 * docs/configuration.md, rendered from the settings themselves so the reference cannot drift:
 * a test compares the committed file with this output (UPDATE_DOCS=1 rewrites it).
 */
export function renderSettingsDoc(): string {
  const groups = new Map<string, SettingDescription[]>();
  for (const setting of describeSettings()) {
    groups.set(setting.group, [...(groups.get(setting.group) ?? []), setting]);
  }
  const lines = [
    '# Configuration',
    '',
    '<!-- Generated from libs/config by `UPDATE_DOCS=1 npx jest -c libs/config/jest.config.js settings-doc`. Do not edit. -->',
    '',
    'Every service reads these environment variables at start-up (and, optionally, a JSON file named by',
    '`TRIBUTARY_CONFIG_FILE`, using the paths below; environment wins). A bad or missing value stops the',
    'service with one message that names each bad key, the value it got and the expected form. Secrets',
    'can also come from a file: set `<KEY>_FILE` to its path (Docker and Kubernetes secrets).',
    '',
    'Service ports are separate: `TRIBUTARY_<SERVICE>_PORT` (ingest-api 3100, serving-api 3200,',
    'speed-layer 3300, batch-layer 3400) and `TRIBUTARY_HOST` (default `0.0.0.0`).',
  ];
  for (const [group, settings] of groups) {
    lines.push(
      '',
      `## ${group}`,
      '',
      '| key | path | default (embedded / distributed) | expected | description |',
    );
    lines.push('|---|---|---|---|---|');
    for (const s of settings) {
      const required = s.requiredIn.map((p) => `required in ${p}`);
      const defaults =
        s.defaults.embedded === s.defaults.distributed
          ? code(s.defaults.embedded)
          : `${code(s.defaults.embedded)} / ${code(s.defaults.distributed)}`;
      const notes = [...required, ...(s.fileKey ? [`secret; or \`${s.fileKey}\``] : [])];
      const description = [s.description, ...notes.map((n) => `(${n})`)].join(' ');
      lines.push(`| \`${s.key}\` | \`${s.path}\` | ${defaults} | ${s.expected} | ${description} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function code(value: string | undefined): string {
  return value === undefined ? '—' : `\`${value}\``;
}

import type { DataFolder } from './data-folder';
import type { DemoCredentials } from './demo-credentials';

export interface BannerFacts {
  /** Base URL per service name. */
  urls: Record<string, string>;
  folder: DataFolder;
  credentials: DemoCredentials;
  /** True on the start that created the credentials. */
  created: boolean;
}

/** The first thing a newcomer reads: where everything is and two commands that work right away. */
export function printBanner(out: NodeJS.WritableStream, facts: BannerFacts): void {
  const { urls, credentials } = facts;
  const ingest = urls['ingest-api'];
  const serving = urls['serving-api'];
  const now = new Date().toISOString();
  const event = JSON.stringify({
    type: 'page.viewed',
    occurred_at: now,
    subject_id: 'user-1',
    properties: { page: { path: '/' }, device: 'desktop' },
  });
  const lines = [
    '',
    `Tributary is running — one process, embedded profile, data in ${facts.folder.root}/`,
    '',
    `  ingest API   ${ingest}/v1/events     docs ${ingest}/docs`,
    `  serving API  ${serving}/v1/query      docs ${serving}/docs`,
    `  metrics      ${Object.values(urls)
      .map((u) => `${u}/metrics`)
      .join('  ')}`,
    `  health       ${ingest}/health/ready`,
    '',
    facts.created
      ? `Demo source "${credentials.source}" created. Its credentials (also in ${facts.folder.credentials}):`
      : `Demo source "${credentials.source}" (credentials from ${facts.folder.credentials}):`,
    `  API key      ${credentials.apiKey}`,
    `  read token   ${credentials.readToken}`,
    '',
    'Send an event:',
    `  curl -sS -X POST ${ingest}/v1/events \\`,
    `    -H 'Authorization: Bearer ${credentials.apiKey}' -H 'Content-Type: application/json' \\`,
    `    -d '${event}'`,
    'Query the merged view (batch + real time):',
    `  curl -sS '${serving}/v1/query?view=events_by_type_source&grain=hour&measures=events&dimensions=type,source' \\`,
    `    -H 'Authorization: Bearer ${credentials.readToken}'`,
    'Stream demo traffic and see the numbers:  npm run demo',
    '',
    'Logs are JSON lines on stdout. Stop with Ctrl-C.',
    '',
  ];
  out.write(`${lines.join('\n')}\n`);
}

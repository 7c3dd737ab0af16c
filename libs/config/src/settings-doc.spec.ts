import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSettingsDoc } from './settings-doc';

const docPath = join(__dirname, '..', '..', '..', 'docs', 'configuration.md');

describe(renderSettingsDoc.name, () => {
  it('matches the committed docs/configuration.md (UPDATE_DOCS=1 regenerates it)', () => {
    const rendered = renderSettingsDoc();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docPath, rendered);
    expect(readFileSync(docPath, 'utf8')).toBe(rendered);
  });

  it('documents every key with its expected form', () => {
    const rendered = renderSettingsDoc();
    expect(rendered).toContain('| `TRIBUTARY_KAFKA_BROKERS` | `kafka.brokers` |');
    expect(rendered).toContain('secret; or `TRIBUTARY_POSTGRES_URL_FILE`');
  });
});

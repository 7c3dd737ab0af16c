import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderGeneratedFiles } from './render-generated';

const generatedDir = join(__dirname, '..', '..', 'generated');

describe(renderGeneratedFiles.name, () => {
  const rendered = renderGeneratedFiles();

  it.each(Object.keys(rendered))(
    'matches the committed libs/views/generated/%s (UPDATE_GENERATED=1 rewrites it)',
    (file) => {
      const path = join(generatedDir, file);
      if (process.env.UPDATE_GENERATED === '1') writeFileSync(path, rendered[file] ?? '');
      expect(readFileSync(path, 'utf8')).toBe(rendered[file]);
    },
  );

  it('renders the DDL of every default view, versioned by content hash', () => {
    expect(rendered['realtime.sql']).toMatch(/^-- migration events_rt@[0-9a-f]{12}$/m);
    expect(rendered['realtime.sql']).toMatch(/^-- migration rt_revenue_by_currency@[0-9a-f]{12}$/m);
    expect(rendered['realtime-cluster.sql']).toContain("ON CLUSTER '{cluster}'");
  });
});

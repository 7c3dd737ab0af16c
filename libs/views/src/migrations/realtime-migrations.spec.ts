import { eventIdsDdl } from '../compile/event-ids-ddl';
import { eventsTableDdl } from '../compile/events-table-ddl';
import { realtimeViewDdl } from '../compile/realtime-view-ddl';
import { DEFAULT_VIEWS, REVENUE_BY_CURRENCY } from '../defaults/default-views';
import type { ViewDefinition } from '../definition/view-definition';
import { ViewDefinitionError } from '../definition/view-definition-error';
import { realtimeMigrations } from './realtime-migrations';

describe(realtimeMigrations.name, () => {
  const migrations = realtimeMigrations(DEFAULT_VIEWS);

  it('has events_rt first, then its id table, then one migration per view, each versioned by a content hash', () => {
    expect(migrations.map((m) => m.version.replace(/@[0-9a-f]{12}$/, '@…'))).toEqual([
      'events_rt@…',
      'events_rt_ids@…',
      'rt_events_by_type_source@…',
      'rt_revenue_by_currency@…',
      'rt_active_subjects@…',
      'rt_page_views_by_path@…',
      'rt_signups_by_plan@…',
    ]);
    expect(migrations[0]?.statements).toEqual(eventsTableDdl());
  });

  it('rebuilds the id table like a view: drop, create, backfill from events_rt', () => {
    const ids = eventIdsDdl();
    expect(migrations[1]?.statements).toEqual([...ids.drop, ...ids.create, ids.backfill]);
  });

  it('rebuilds a view: drop, create, backfill', () => {
    const ddl = realtimeViewDdl(REVENUE_BY_CURRENCY);
    expect(migrations[3]?.statements).toEqual([...ddl.drop, ...ddl.create, ddl.backfill]);
  });

  it('is stable for the same definitions', () => {
    expect(realtimeMigrations(DEFAULT_VIEWS)).toEqual(migrations);
  });

  it('gives a changed view a new version and leaves the others alone', () => {
    const changed: ViewDefinition = { ...REVENUE_BY_CURRENCY, retentionDays: 30 };
    const next = realtimeMigrations(
      DEFAULT_VIEWS.map((v) => (v === REVENUE_BY_CURRENCY ? changed : v)),
    );
    const differing = next
      .filter((m, i) => m.version !== migrations[i]?.version)
      .map((m) => m.version);
    expect(differing).toEqual([expect.stringMatching(/^rt_revenue_by_currency@/)]);
  });

  it('versions events_rt by its options', () => {
    const [events] = realtimeMigrations(DEFAULT_VIEWS, { eventsRetentionDays: 9 });
    expect(events?.version).not.toBe(migrations[0]?.version);
  });

  it('versions the id table by its window, leaving events_rt and the views alone', () => {
    const next = realtimeMigrations(DEFAULT_VIEWS, { eventIdWindowHours: 48 });
    const differing = next
      .filter((m, i) => m.version !== migrations[i]?.version)
      .map((m) => m.version);
    expect(differing).toEqual([expect.stringMatching(/^events_rt_ids@/)]);
  });

  it('refuses invalid definitions before generating anything', () => {
    const broken = { ...REVENUE_BY_CURRENCY, grains: [] } as unknown as ViewDefinition;
    expect(() => realtimeMigrations([broken])).toThrow(ViewDefinitionError);
  });
});

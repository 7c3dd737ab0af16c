import { createHash } from 'node:crypto';
import type { ViewDefinition } from '../definition/view-definition';
import { validateViews } from '../definition/validate-views';
import { EVENT_IDS_TABLE, eventIdsDdl } from '../compile/event-ids-ddl';
import { EVENTS_TABLE, eventsTableDdl } from '../compile/events-table-ddl';
import type { RealtimeDdlOptions } from '../compile/realtime-options';
import { realtimeTable, realtimeViewDdl } from '../compile/realtime-view-ddl';

/**
 * A versioned DDL step, in the shape `applyWarehouseMigrations` (libs/warehouse) takes: it runs
 * the statements of each version not applied yet, in order, and records the version.
 */
export interface DdlMigration {
  readonly version: string;
  readonly statements: readonly string[];
}

/**
 * The real-time DDL as migrations, one per object, versioned by a hash of its generated
 * statements: `events_rt@<hash>` first, then `events_rt_ids@<hash>` (the speed layer's recent
 * event_ids, rebuilt and back-filled from events_rt like a view), then `rt_<view>@<hash>` per view.
 *
 * Nothing is edited in place. A changed definition (or option) compiles to different statements,
 * hence a new version, which rebuilds that view: drop `mv_<view>` and `rt_<view>`, create them
 * again, backfill from events_rt. A view that did not change keeps its version and is left alone.
 * Each step is idempotent (IF [NOT] EXISTS, and the drop before the backfill), so a run that died
 * half-way simply runs again. For events_rt the statements are CREATE IF NOT EXISTS plus ALTERs
 * that restate its TTL and dedup window; a change of its columns needs a hand-written migration.
 */
export function realtimeMigrations(
  views: readonly ViewDefinition[],
  options: RealtimeDdlOptions = {},
): DdlMigration[] {
  validateViews(views);
  const ids = eventIdsDdl(options);
  return [
    versioned(EVENTS_TABLE, eventsTableDdl(options)),
    versioned(EVENT_IDS_TABLE, [...ids.drop, ...ids.create, ids.backfill]),
    ...views.map((view) => {
      const ddl = realtimeViewDdl(view, options);
      return versioned(realtimeTable(view), [...ddl.drop, ...ddl.create, ddl.backfill]);
    }),
  ];
}

/** `<object>@<first 12 hex digits of sha256(statements)>`. */
function versioned(object: string, statements: readonly string[]): DdlMigration {
  const hash = createHash('sha256').update(statements.join('\n;\n')).digest('hex').slice(0, 12);
  return { version: `${object}@${hash}`, statements };
}

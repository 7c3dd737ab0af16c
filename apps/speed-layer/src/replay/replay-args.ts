import type { OffsetResetTarget } from '@tributary/messaging';
import { parseArgs } from 'node:util';

export const USAGE = `usage: speed:replay (--to-earliest | --to-datetime <ISO-8601> | --to-offsets <p=o,…>)
                    [--rebuild] [--group <id>]

Moves the speed layer's consumer group on the events topic (the group must have no members:
stop the speed layer first). Without --rebuild the sink skips every record ClickHouse already
holds (by offset, from its range log), so only what ClickHouse lacks is written again. With
--rebuild, events_rt, its range log, its recent ids and every real-time view target are emptied
first, so the next speed-layer start rebuilds them from Kafka from the new offsets.`;

export interface ReplayArgs {
  target: OffsetResetTarget;
  rebuild: boolean;
  group?: string;
}

/** The command line, or a message saying what is wrong with it. */
export function parseReplayArgs(argv: readonly string[]): ReplayArgs | { help: true } | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'to-earliest': { type: 'boolean', default: false },
        'to-datetime': { type: 'string' },
        'to-offsets': { type: 'string' },
        rebuild: { type: 'boolean', default: false },
        group: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    return (error as Error).message;
  }
  if (values.help) return { help: true };
  const chosen = [
    values['to-earliest'] ? 'earliest' : undefined,
    values['to-datetime'],
    values['to-offsets'],
  ].filter((v) => v !== undefined);
  if (chosen.length !== 1)
    return 'give exactly one of --to-earliest, --to-datetime and --to-offsets';
  let target: OffsetResetTarget;
  if (values['to-earliest']) {
    target = { kind: 'earliest' };
  } else if (values['to-datetime'] !== undefined) {
    const raw = values['to-datetime'];
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)
      ? Date.parse(raw)
      : NaN;
    if (Number.isNaN(at))
      return `--to-datetime ${JSON.stringify(raw)} is not an ISO-8601 time with a zone, e.g. 2026-11-26T10:00:00Z`;
    target = { kind: 'timestamp', at };
  } else {
    const offsets = [];
    for (const part of String(values['to-offsets']).split(',')) {
      const match = /^(\d+)=(\d+)$/.exec(part.trim());
      if (!match) return `--to-offsets: ${JSON.stringify(part)} is not <partition>=<offset>`;
      offsets.push({ partition: Number(match[1]), offset: match[2] });
    }
    if (new Set(offsets.map((o) => o.partition)).size !== offsets.length)
      return '--to-offsets names a partition twice';
    target = { kind: 'offsets', offsets };
  }
  return { target, rebuild: values.rebuild, group: values.group };
}

#!/usr/bin/env node
// Speed-layer replay CLI: `npm run speed:replay -- --to-earliest [--rebuild]` (see USAGE).
// Resets the speed layer's consumer group on the events topic (refused while the group has
// members) and, with --rebuild, empties the real-time tables so the next start rebuilds them.
import { loadConfig } from '@tributary/config';
import { messageLogFor, warehouseTargetFor } from '@tributary/connections';
import { GroupActiveError, LogLockedError } from '@tributary/messaging';
import { DEFAULT_VIEWS, realtimeTable, validateViews } from '@tributary/views';
import { createWarehouseClient, EventsRtSink } from '@tributary/warehouse';
import { parseReplayArgs, USAGE } from './replay/replay-args';

async function main(): Promise<number> {
  const args = parseReplayArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`replay: ${args}\n${USAGE}\n`);
    return 2;
  }
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig();
  const groupId = args.group ?? config.speed.consumerGroup;
  const topic = config.kafka.eventsTopic;
  // Kafka, or the embedded log under the data folder (which refuses while a service owns it).
  const log = messageLogFor(config, 'speed-replay');
  try {
    const partitions = await log.resetGroupOffsets({ groupId, topic, target: args.target });
    let cleared: string[] = [];
    if (args.rebuild) {
      const client = createWarehouseClient(warehouseTargetFor(config), {
        application: 'tributary-speed-replay',
      });
      try {
        cleared = [
          ...new EventsRtSink(client).tables(),
          ...validateViews(DEFAULT_VIEWS).map(realtimeTable),
        ];
        for (const table of cleared)
          await client.command({ query: `TRUNCATE TABLE IF EXISTS ${table}` });
      } finally {
        await client.close();
      }
      // A member that joined while the tables were emptied may have written into them.
      await log.assertGroupInactive(groupId);
    }
    process.stdout.write(`${JSON.stringify({ group: groupId, topic, partitions, cleared })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof LogLockedError) {
      process.stderr.write(`replay refused: ${error.message}\n`);
      return 3;
    }
    if (error instanceof GroupActiveError) {
      process.stderr.write(
        `replay refused: ${error.message}${args.rebuild ? '; run the same command again once it is stopped' : ''}\n`,
      );
      return 3;
    }
    throw error;
  } finally {
    await log.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

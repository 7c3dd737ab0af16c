import type { Admin, Kafka } from 'kafkajs';

/**
 * Readiness probe for Kafka: the cluster answers a metadata request. Uses one admin client,
 * reconnected after a failure so a broker that came back is seen on the next probe.
 */
export function kafkaReadiness(kafka: Kafka) {
  let admin: Admin | undefined;
  return {
    name: 'kafka',
    async check(): Promise<void> {
      try {
        if (!admin) {
          admin = kafka.admin();
          await admin.connect();
        }
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('no brokers in cluster metadata');
      } catch (error) {
        const stale = admin;
        admin = undefined;
        await stale?.disconnect().catch(() => undefined);
        throw error;
      }
    },
    close: async () => admin?.disconnect(),
  };
}

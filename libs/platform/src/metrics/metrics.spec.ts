import { parsePrometheusText } from '@tributary/testing';
import { METRIC_CATALOG } from './catalog';
import { Metrics } from './metrics';

describe(Metrics.name, () => {
  describe('get', () => {
    it('declares a catalog metric once, with the tributary_ prefix and its label names', async () => {
      const metrics = new Metrics('ingest-api');
      const ingested = metrics.get('events_ingested_total');
      expect(metrics.get('events_ingested_total')).toBe(ingested);
      ingested.inc({ source: 'checkout-web', type: 'order.placed' }, 3);

      const families = parsePrometheusText(await metrics.registry.metrics());
      const family = families.find((f) => f.name === 'tributary_events_ingested_total');
      expect(family).toMatchObject({
        type: 'COUNTER',
        help: METRIC_CATALOG.events_ingested_total.help,
      });
      expect(family?.metrics).toEqual([
        {
          labels: { service: 'ingest-api', source: 'checkout-web', type: 'order.placed' },
          value: '3',
        },
      ]);
    });

    it('refuses a label the catalog does not declare', () => {
      const metrics = new Metrics('ingest-api');
      expect(() =>
        metrics.get('events_ingested_total').inc({ source: 's', kind: 'x' } as never),
      ).toThrow(/kind/);
    });
  });

  describe('registry', () => {
    it('exposes process defaults and every catalog type as valid exposition text', async () => {
      const metrics = new Metrics('serving-api');
      metrics.get('query_latency_seconds').observe({ view: 'v', format: 'json' }, 0.02);
      metrics.get('consumer_lag').set({ group: 'speed', topic: 't', partition: '0' }, 5);

      const families = parsePrometheusText(await metrics.registry.metrics());
      const names = families.map((f) => f.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'tributary_process_cpu_seconds_total',
          'tributary_query_latency_seconds',
          'tributary_consumer_lag',
        ]),
      );
      expect(families.find((f) => f.name === 'tributary_query_latency_seconds')?.type).toBe(
        'HISTOGRAM',
      );
    });

    it('keeps two services in one process apart', async () => {
      const a = new Metrics('a');
      const b = new Metrics('b');
      a.get('events_dlq_total').inc({ source: 's', type: 't', reason: 'r' });
      expect(await b.registry.metrics()).not.toContain('tributary_events_dlq_total{');
    });
  });
});

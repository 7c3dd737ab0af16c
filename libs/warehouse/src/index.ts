export {
  createWarehouseClient,
  type WarehouseClientOptions,
  type WarehouseTarget,
} from './warehouse-client';
export { warehouseReadiness } from './warehouse-readiness';
export {
  EventsRtSink,
  type EventsRtSinkOptions,
  type SinkRange,
  type SinkRecord,
  type UndecodableRecord,
} from './events-rt-sink';

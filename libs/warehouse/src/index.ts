export {
  createWarehouseClient,
  type WarehouseClientOptions,
  type WarehouseTarget,
} from './warehouse-client';
export { warehouseReadiness } from './warehouse-readiness';

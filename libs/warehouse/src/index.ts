export {
  createWarehouseClient,
  type WarehouseClientOptions,
  type WarehouseTarget,
} from './warehouse-client';

// Imported first by main.ts: configuration is validated and tracing instruments the libraries
// (http, express, kafkajs, pg, ioredis) before any of them is loaded.
import { prepareService } from '@tributary/telemetry';

export const prepared = prepareService('ingest-api');

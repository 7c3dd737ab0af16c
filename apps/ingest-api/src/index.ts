// What the one-process pipeline (apps/pipeline) composes: this service's definition. Running the
// service on its own is `node dist/main.js`.
export { ingestApi } from './ingest-api.service';

import { startTestService } from '@tributary/platform';
import { itAnswersLiveness } from '@tributary/testing';
import { IngestApiModule } from './ingest-api.module';
import { ingestApi } from './ingest-api.service';

describe(IngestApiModule.name, () => {
  itAnswersLiveness('ingest-api', () => startTestService(ingestApi));
});

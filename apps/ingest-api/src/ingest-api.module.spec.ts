import { itAnswersLiveness } from '@tributary/testing';
import { IngestApiModule } from './ingest-api.module';

describe(IngestApiModule.name, () => {
  itAnswersLiveness(IngestApiModule, 'ingest-api');
});

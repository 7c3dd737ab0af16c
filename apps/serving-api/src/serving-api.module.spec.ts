import { startTestService } from '@tributary/platform';
import { itAnswersLiveness } from '@tributary/testing';
import { ServingApiModule } from './serving-api.module';
import { servingApi } from './serving-api.service';

describe(ServingApiModule.name, () => {
  itAnswersLiveness('serving-api', () => startTestService(servingApi));
});

import { itAnswersLiveness } from '@tributary/testing';
import { ServingApiModule } from './serving-api.module';

describe(ServingApiModule.name, () => {
  itAnswersLiveness(ServingApiModule, 'serving-api');
});

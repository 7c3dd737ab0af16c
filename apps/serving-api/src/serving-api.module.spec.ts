import { startTestService } from '@tributary/platform';
import { itAnswersLiveness } from '@tributary/testing';
import { ServingApiModule } from './serving-api.module';
import { servingApi } from './serving-api.service';

describe(ServingApiModule.name, () => {
  itAnswersLiveness('serving-api', () => startTestService(servingApi));

  it('serves its OpenAPI contract and Swagger UI', async () => {
    const service = await startTestService(servingApi);
    try {
      const contract = (await (await fetch(`${service.url}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(contract.paths)).toEqual(['/v1/views', '/v1/query', '/quality']);
      const docs = await fetch(`${service.url}/docs`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toMatch(/swagger-ui/i);
    } finally {
      await service.stop('test done');
    }
  });

  it('answers GET /quality with 503 naming the setting when there is no metadata store', async () => {
    const service = await startTestService(servingApi);
    try {
      const response = await fetch(`${service.url}/quality`);
      expect(response.status).toBe(503);
      expect(JSON.stringify(await response.json())).toMatch(/TRIBUTARY_POSTGRES_URL/);
    } finally {
      await service.stop('test done');
    }
  });
});

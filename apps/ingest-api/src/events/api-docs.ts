import type { INestApplication } from '@nestjs/common';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ingestOpenApi } from './openapi';

/** `/openapi.json` for tools and `/docs` (Swagger UI, with an example per content type) for people. */
export function serveApiDocs(app: INestApplication): void {
  const document = ingestOpenApi as unknown as OpenAPIObject;
  app.getHttpAdapter().get('/openapi.json', (_request: Request, response: Response) => {
    response.json(document);
  });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

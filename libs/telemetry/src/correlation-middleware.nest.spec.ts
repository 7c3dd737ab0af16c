import {
  Body,
  Controller,
  Get,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { currentCorrelationId } from './correlation-context';
import { CorrelationMiddleware, correlationMiddleware } from './correlation-middleware';
import { CORRELATION_ID_HEADER } from './names';

/** Reads the correlation id after an await, where only AsyncLocalStorage can still know it. */
@Controller('probe')
class ProbeController {
  @Get()
  async get(): Promise<{ id?: string }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { id: currentCorrelationId() };
  }

  @Post()
  async post(@Body() body: { n: number }): Promise<{ id?: string; n: number }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { id: currentCorrelationId(), n: body.n };
  }
}

@Module({ controllers: [ProbeController] })
class PlainModule {}

@Module({ controllers: [ProbeController] })
class ConsumerModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationMiddleware).forRoutes('*path');
  }
}

describe('correlation middleware in a Nest app', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(
    module: typeof PlainModule | typeof ConsumerModule,
    use?: typeof correlationMiddleware,
  ): Promise<string> {
    app = await NestFactory.create(module, { logger: false });
    if (use) app.use(use);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    return `http://127.0.0.1:${port}/probe`;
  }

  it.each([
    ['MiddlewareConsumer.apply(CorrelationMiddleware)', ConsumerModule, undefined],
    ['app.use(correlationMiddleware), before the body parser', PlainModule, correlationMiddleware],
  ] as const)(
    'with %s: echoes the id and keeps it through the handler',
    async (_l, module, use) => {
      const url = await start(module, use);

      const get = await fetch(url, { headers: { [CORRELATION_ID_HEADER]: 'nest-get-1' } });
      expect(get.headers.get(CORRELATION_ID_HEADER)).toBe('nest-get-1');
      expect(await get.json()).toEqual({ id: 'nest-get-1' });

      const post = await fetch(url, {
        method: 'POST',
        headers: { [CORRELATION_ID_HEADER]: 'nest-post-1', 'content-type': 'application/json' },
        body: JSON.stringify({ n: 7 }),
      });
      expect(post.headers.get(CORRELATION_ID_HEADER)).toBe('nest-post-1');
      expect(await post.json()).toEqual({ id: 'nest-post-1', n: 7 });

      const generated = await fetch(url, { headers: { [CORRELATION_ID_HEADER]: 'bad id' } });
      const id = generated.headers.get(CORRELATION_ID_HEADER);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await generated.json()).toEqual({ id });
    },
  );
});

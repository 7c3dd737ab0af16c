import {
  Controller,
  type DynamicModule,
  Get,
  Header,
  Inject,
  Module,
  type OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import { loadDataDocs } from '../docs/load-data-docs';
import { renderDataDocs } from '../docs/render-data-docs';
import type { QualityStore } from '../store/quality-store';
import type { Suite } from '../suite/suite';

export const QUALITY_STORE = Symbol('QUALITY_STORE');
export const QUALITY_SUITES = Symbol('QUALITY_SUITES');

/** The report links nowhere and runs no script: only its own inline style may load. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** `GET /quality`: the data docs rendered from the store on each request. */
@Controller('quality')
export class QualityController {
  constructor(
    @Inject(QUALITY_STORE) private readonly store: QualityStore | undefined,
    @Inject(QUALITY_SUITES) private readonly suites: readonly Suite[],
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', REPORT_CSP)
  @Header('cache-control', 'no-store')
  async report(): Promise<string> {
    if (!this.store) {
      throw new ServiceUnavailableException(
        'data docs need the metadata store: set TRIBUTARY_POSTGRES_URL (the distributed profile)',
      );
    }
    return renderDataDocs(await loadDataDocs(this.store, { suites: this.suites }));
  }
}

/**
 * Serves the data-quality report under `/quality` in a service that imports it, e.g.
 * `QualityModule.register({ store: new QualityStore(dataSource), suites: loadSuites(dir) })`.
 */
/** What `registerAsync` builds at start-up; `close` runs at shutdown (e.g. the DataSource). */
export interface QualityModuleOptions {
  store?: QualityStore;
  suites?: readonly Suite[];
  close?: () => Promise<void>;
}

const QUALITY_OPTIONS = Symbol('QUALITY_OPTIONS');

@Module({})
export class QualityModule implements OnApplicationShutdown {
  constructor(@Inject(QUALITY_OPTIONS) private readonly options?: QualityModuleOptions) {}

  async onApplicationShutdown(): Promise<void> {
    await this.options?.close?.();
  }

  /**
   * The same route with its store built at start-up (from config); without a store the route
   * answers 503 naming the missing setting.
   */
  static registerAsync(options: {
    inject?: Array<string | symbol>;
    useFactory: (...args: never[]) => Promise<QualityModuleOptions> | QualityModuleOptions;
  }): DynamicModule {
    return {
      module: QualityModule,
      controllers: [QualityController],
      providers: [
        { provide: QUALITY_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        {
          provide: QUALITY_STORE,
          inject: [QUALITY_OPTIONS],
          useFactory: (o: QualityModuleOptions) => o.store,
        },
        {
          provide: QUALITY_SUITES,
          inject: [QUALITY_OPTIONS],
          useFactory: (o: QualityModuleOptions) => o.suites ?? [],
        },
      ],
    };
  }

  static register(options: { store: QualityStore; suites?: readonly Suite[] }): DynamicModule {
    return {
      module: QualityModule,
      controllers: [QualityController],
      providers: [
        { provide: QUALITY_OPTIONS, useValue: options },
        { provide: QUALITY_STORE, useValue: options.store },
        { provide: QUALITY_SUITES, useValue: options.suites ?? [] },
      ],
    };
  }
}

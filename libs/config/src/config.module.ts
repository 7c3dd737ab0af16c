import { type DynamicModule, Module } from '@nestjs/common';
import { type TributaryConfig } from './schema';

/** Injection token for the loaded `TributaryConfig`: `@Inject(APP_CONFIG) config: TributaryConfig`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Makes the config injectable everywhere. It takes an already loaded config rather than loading
 * it itself, so `main.ts` can call `loadConfig()` before Nest boots and a bad setting stops the
 * process with the full list of problems instead of a dependency-injection stack trace.
 */
@Module({})
export class ConfigModule {
  static forRoot(config: TributaryConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

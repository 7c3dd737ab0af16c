import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { SERVICE_INFO, workspaceVersion } from './service-info';

/** The plumbing every Tributary service shares. Import it once in each app's root module. */
@Module({})
export class PlatformModule {
  static forService(name: string): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      controllers: [HealthController],
      providers: [{ provide: SERVICE_INFO, useValue: { name, version: workspaceVersion() } }],
      exports: [SERVICE_INFO],
    };
  }
}

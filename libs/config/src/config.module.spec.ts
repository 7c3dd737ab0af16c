import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, ConfigModule } from './config.module';
import { loadConfig } from './loader';
import { type TributaryConfig } from './schema';

@Injectable()
class LogLevelReader {
  constructor(@Inject(APP_CONFIG) readonly config: TributaryConfig) {}
}

/** A feature module that does not import ConfigModule: the global provider must still reach it. */
@Module({ providers: [LogLevelReader], exports: [LogLevelReader] })
class FeatureModule {}

describe(ConfigModule.name, () => {
  describe('forRoot', () => {
    it('provides the loaded config under APP_CONFIG to every module', async () => {
      const config = loadConfig({ TRIBUTARY_LOG_LEVEL: 'debug' });
      const moduleRef = await Test.createTestingModule({
        imports: [ConfigModule.forRoot(config), FeatureModule],
      }).compile();
      try {
        expect(moduleRef.get(LogLevelReader).config).toBe(config);
        expect(moduleRef.get(LogLevelReader).config.log.level).toBe('debug');
      } finally {
        await moduleRef.close();
      }
    });
  });
});

export { APP_CONFIG, ConfigModule } from './config.module';
export { describeSettings, isAcceptedKey, type SettingDescription } from './describe';
export { ConfigError } from './errors';
export { loadConfig, type LoadedConfig, type LoadOptions, readConfig } from './loader';
export { redactConfig } from './redact';
export { LOG_LEVELS, type LogLevel, type TributaryConfig } from './schema';
export { PROFILES, type Profile } from './setting';
export { CONFIG_FILE_KEY } from './sources';

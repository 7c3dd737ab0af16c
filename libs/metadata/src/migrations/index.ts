import { CreateSources1764150000000 } from './1764150000000-create-sources';

/** Every migration, oldest first. Add new ones at the end; never edit one that has shipped. */
export const metadataMigrations = [CreateSources1764150000000];

import { isSourceName, SourceEntity } from '@tributary/metadata';
import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../postgres-errors';
import { registryErrors } from '../registry-errors';

export interface SourceSummary {
  id: string;
  name: string;
  createdAt: Date;
}

/** The upstream applications allowed to send events; each owns API keys. */
export class Sources {
  constructor(private readonly dataSource: DataSource) {}

  /** Refuses a bad name here, with the rule in words, rather than as a CHECK violation. */
  async create(name: string): Promise<SourceSummary> {
    if (!isSourceName(name)) throw registryErrors.invalidSourceName(name);
    const repository = this.dataSource.getRepository(SourceEntity);
    try {
      return summary(await repository.save(repository.create({ name })));
    } catch (error) {
      if (isUniqueViolation(error, 'sources_name_key')) throw registryErrors.sourceExists(name);
      throw error;
    }
  }

  async list(): Promise<SourceSummary[]> {
    const sources = await this.dataSource
      .getRepository(SourceEntity)
      .find({ order: { name: 'ASC' } });
    return sources.map(summary);
  }

  async get(name: string): Promise<SourceSummary | undefined> {
    const source = await this.dataSource.getRepository(SourceEntity).findOneBy({ name });
    return source ? summary(source) : undefined;
  }
}

/** The source called `name`, or UNKNOWN_SOURCE; inside the caller's transaction when given. */
export async function requireSource(manager: EntityManager, name: string): Promise<SourceEntity> {
  const source = await manager.findOneBy(SourceEntity, { name });
  if (!source) throw registryErrors.unknownSource(name);
  return source;
}

function summary(source: SourceEntity): SourceSummary {
  return { id: source.id, name: source.name, createdAt: source.createdAt };
}

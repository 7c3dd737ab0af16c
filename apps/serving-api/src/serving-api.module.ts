import { Module } from '@nestjs/common';

/** serving-api: Answers BI queries by merging batch and real-time views. */
@Module({})
export class ServingApiModule {}

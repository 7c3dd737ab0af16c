/**
 * Incubating OpenTelemetry semantic conventions, copied rather than imported: the package's
 * `incubating` entry point may break in a minor release, and its own README asks instrumentation
 * code to copy what it uses. Names and values match @opentelemetry/semantic-conventions 1.45.
 */

/** @deprecated upstream in favour of `deployment.environment.name`; Jaeger users still query it. */
export const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment' as const;
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name' as const;

export const ATTR_MESSAGING_SYSTEM = 'messaging.system' as const;
export const MESSAGING_SYSTEM_VALUE_KAFKA = 'kafka' as const;
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name' as const;
export const ATTR_MESSAGING_DESTINATION_PARTITION_ID =
  'messaging.destination.partition.id' as const;
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name' as const;
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type' as const;
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process' as const;
export const MESSAGING_OPERATION_TYPE_VALUE_CREATE = 'create' as const;
export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send' as const;
export const ATTR_MESSAGING_BATCH_MESSAGE_COUNT = 'messaging.batch.message_count' as const;
export const ATTR_MESSAGING_KAFKA_OFFSET = 'messaging.kafka.offset' as const;
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name' as const;

// Resource usage of a session's sandbox: GET /api/sessions/:id/usage and the usage.sample event.
import { z } from 'zod';

export const UsageSampleSchema = z.object({
  at: z.string(),
  cpuPercent: z.number(),
  memoryBytes: z.number(),
  memoryLimitBytes: z.number(),
  pids: z.number(),
  netRxBytes: z.number(),
  netTxBytes: z.number(),
});
export type UsageSample = z.infer<typeof UsageSampleSchema>;

export const MAX_USAGE_SAMPLES = 1000;

export const UsageQuerySchema = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_USAGE_SAMPLES).optional(),
});
export type UsageQuery = z.infer<typeof UsageQuerySchema>;

/** Memory use against the limit: `high` from 85 %, `critical` from 95 %. */
export const MemoryPressureSchema = z.enum(['high', 'critical']);
export type MemoryPressure = z.infer<typeof MemoryPressureSchema>;

/** `data` of a usage.sample event: the sample, plus `pressure` when a threshold was just crossed. */
export const UsageSampleEventDataSchema = UsageSampleSchema.extend({
  pressure: MemoryPressureSchema.optional(),
});
export type UsageSampleEventData = z.infer<typeof UsageSampleEventDataSchema>;

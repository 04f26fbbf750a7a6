// Terminal protocol of DESIGN section 5 (binding): text frames carry these JSON control
// messages; binary frames carry raw terminal bytes both ways.
import { z } from 'zod';

export const ResizeMessageSchema = z.strictObject({
  type: z.literal('resize'),
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});
export const AckMessageSchema = z.strictObject({
  type: z.literal('ack'),
  bytes: z
    .number()
    .int()
    .min(0)
    .max(1 << 30),
});
export const ClientControlMessageSchema = z.discriminatedUnion('type', [
  ResizeMessageSchema,
  AckMessageSchema,
]);
export type ClientControlMessage = z.infer<typeof ClientControlMessageSchema>;

export const ExitMessageSchema = z.object({ type: z.literal('exit'), code: z.number().int() });
export const ServerControlMessageSchema = z.discriminatedUnion('type', [ExitMessageSchema]);
export type ServerControlMessage = z.infer<typeof ServerControlMessageSchema>;

/** Flow-control marks for acking clients (bytes of output sent but not yet acknowledged). */
export const FLOW_HIGH_WATER_BYTES = 512 * 1024;
export const FLOW_LOW_WATER_BYTES = 128 * 1024;
/** Largest output frame the server sends; output within one tick is coalesced up to this. */
export const MAX_OUTPUT_FRAME_BYTES = 64 * 1024;

/** WebSocket close codes the server uses (4000-4999 is the application range). */
export const TerminalCloseCodes = {
  normal: 1000,
  policyViolation: 1008,
  tooBig: 1009,
  internalError: 1011,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  conflict: 4409,
  sessionNotRunning: 4410,
} as const;

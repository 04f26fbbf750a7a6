// Imported first by main.tsx, before any module can parse with zod: without it, zod probes for
// eval with `Function('')` on its first parse; the server's CSP (no 'unsafe-eval') blocks that,
// which zod tolerates but which reports a policy violation on every page load.
import { z } from 'zod';

z.config({ jitless: true });

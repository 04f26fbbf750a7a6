// A classic script, run before any of the app's modules: zod reads this global when it loads.
// Without it, building the first object schema probes for eval with `new Function('')`; the
// server's CSP (no 'unsafe-eval') blocks the probe, which zod tolerates but the browser reports
// as a policy violation. Setting it here cannot be reordered by the bundler's chunking, which a
// `z.config()` call inside the bundle can be.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, {
  jitless: true,
});

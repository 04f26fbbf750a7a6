// Emits ESM (web app, bundlers) and CommonJS (server) builds of the shared schemas.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const tsc = ['node_modules/typescript/bin/tsc', '../../node_modules/typescript/bin/tsc'].find(
  (p) => {
    try {
      execFileSync(process.execPath, [p, '--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  },
);
for (const project of ['tsconfig.build.json', 'tsconfig.cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
}
writeFileSync('dist/esm/package.json', '{"type":"module"}\n');
writeFileSync('dist/cjs/package.json', '{"type":"commonjs"}\n');

// Trunk's post_build hooks, in order: trunk 0.21 starts the hooks of one
// stage all at once, so steps that depend on each other run from here.
//   1. scripts/split-wasm.mjs: release builds only, the wasm cut into the
//      first load and the parts loaded on demand;
//   2. scripts/precompress.mjs: .br and .gz copies of every file, the
//      split's new files included.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = dirname(fileURLToPath(import.meta.url));
for (const step of ['split-wasm.mjs', 'precompress.mjs']) {
  execFileSync(process.execPath, [join(scripts, step)], { stdio: 'inherit' });
}

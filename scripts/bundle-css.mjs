// Inlines the @import lines of style/studio.css into one stylesheet,
// target/bundle/studio.css, which index.html hands to trunk (a pre_build
// hook, so it runs before trunk reads the page). One request instead of
// eleven on a first visit; the files in style/ stay one concern each.
//
//   node scripts/bundle-css.mjs
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'style', 'studio.css');
const OUT = join(ROOT, 'target', 'bundle', 'studio.css');
const IMPORT = /^@import\s+"([^"]+)";\s*$/;

const lines = (await readFile(ENTRY, 'utf8')).split('\n');
const parts = [];
for (const line of lines) {
  const match = line.match(IMPORT);
  if (match) {
    parts.push(`/* ${match[1]} */\n${await readFile(join(dirname(ENTRY), match[1]), 'utf8')}`);
  } else if (line.trim().startsWith('@import')) {
    throw new Error(`style/studio.css: cannot bundle ${line.trim()} (write @import "file.css";)`);
  }
}
await mkdir(dirname(OUT), { recursive: true });
const css = parts.join('\n');
// Written only when it changed, so `trunk serve` does not see a new file
// (and rebuild) on every build.
const old = await readFile(OUT, 'utf8').catch(() => null);
if (old !== css) await writeFile(OUT, css);
console.log(`bundle-css: ${parts.length} files into ${OUT}`);

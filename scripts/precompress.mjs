// Writes a brotli (.br) and a gzip (.gz) copy next to every text asset and
// the wasm in a built dist/, once, at build time (a trunk post_build hook).
// wan-r2v-server then sends these instead of compressing on every request,
// which for the 1 MB wasm cost hundreds of milliseconds per first load; any
// host that serves precompressed files (nginx gzip_static, Caddy's
// precompressed, Netlify) can use them too.
//
//   node scripts/precompress.mjs [DIR]   (default: $TRUNK_STAGING_DIR or dist)
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.txt']);
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? 'dist';

async function* files(root) {
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.has(extname(entry.name))) yield path;
  }
}

let count = 0;
for await (const path of files(dir)) {
  const body = await readFile(path);
  // Too small to gain anything once headers are counted.
  if (body.length < 256) continue;
  const br = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  const gz = gzipSync(body, { level: 9 });
  await writeFile(`${path}.br`, br);
  await writeFile(`${path}.gz`, gz);
  count += 1;
}
if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a directory`);
console.log(`precompress: ${count} files in ${dir} have .br and .gz copies`);

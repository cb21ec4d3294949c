// Release builds only: cuts the app's wasm into the module the first load
// needs and the parts it loads on demand (src/ui/on_demand.rs;
// ARCHITECTURE.md, "Parts loaded on demand"). A trunk post_build hook, run
// before scripts/precompress.mjs so the new files get .br and .gz copies.
//
// Trunk has no step between cargo and wasm-bindgen, so this hook starts
// again from cargo's wasm (linked with --emit-relocs, .cargo/config.toml):
//   1. tools/split-wasm cuts it: main.wasm, one .wasm per part (and per
//      piece shared by parts), and the link module the main wasm imports
//      to fetch them;
//   2. wasm-bindgen and wasm-opt do to main.wasm what trunk would do to
//      the whole (trunk's wasm-bindgen flags; -Oz), and the
//      results replace trunk's two staged files under trunk's names, which
//      index.html's <meta> tags name (trunk's hash is the hash of cargo's
//      wasm, the input of everything here);
//   3. each part is optimised and named by the hash of its bytes; the link
//      module, which names them, by trunk's hash;
//   4. the staged index.html gets the new files' integrity digests and a
//      modulepreload of the link module (the main module imports it).
//
// Debug builds (trunk serve, trunk build) have no split points and are
// left as trunk made them.
//
//   node scripts/split-wasm.mjs   (env: TRUNK_PROFILE, TRUNK_STAGING_DIR)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CRATE = 'wan-r2v-studio';
// What trunk would run with data-wasm-opt="z" (index.html leaves wasm-opt
// to this hook: trunk's would optimise the whole, unsplit wasm for nothing).
// Reference types: wasm-bindgen's externref table.
// SPLIT_WASM_KEEP_NAMES=1 keeps function names (wasm-opt -g, demangled), for
// a profile (docs/performance.md, "Profiling a task").
const KEEP_NAMES = process.env.SPLIT_WASM_KEEP_NAMES === '1';
const WASM_OPT_ARGS = ['-Oz', '--enable-reference-types', ...(KEEP_NAMES ? ['-g'] : [])];

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('split-wasm: run as a trunk hook (TRUNK_STAGING_DIR is not set)');

const run = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error(`split-wasm: ${cmd} is not installed (scripts/serve and scripts/test install it: scripts/lib/tools.sh)`);
    }
    throw error;
  }
};
const tool = (name) => {
  const local = join(ROOT, 'node_modules', '.bin', name);
  try {
    readFileSync(local);
    return local;
  } catch {
    return name;
  }
};
const wasmOpt = tool('wasm-opt');
// wasm-opt, quiet about the name subsection the splitter keeps and binaryen
// does not know (the names are dropped from the output anyway).
const optimise = (input, output) => {
  const done = spawnSync(wasmOpt, [`--output=${output}`, ...WASM_OPT_ARGS, input], { cwd: ROOT, encoding: 'utf8' });
  const said = (done.stderr ?? '').split('\n').filter((line) => line && !/unknown name subsection/.test(line));
  if (said.length) console.error(said.join('\n'));
  if (done.status !== 0) throw new Error(`split-wasm: wasm-opt failed on ${input} (${done.error?.message ?? `exit ${done.status}`})`);
};
const hex = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

const indexPath = join(staging, 'index.html');
let index = readFileSync(indexPath, 'utf8');
const named = (meta) => {
  const found = index.match(new RegExp(`<meta name="${meta}" content="\\./([^"]+)">`));
  if (!found) throw new Error(`split-wasm: the staged index.html has no <meta name="${meta}">`);
  return found[1];
};
const jsName = named('wan-r2v-app-js');
const wasmName = named('wan-r2v-app-wasm');
const trunkHash = jsName.match(/-([0-9a-f]{8,})\.js$/)?.[1];
if (!trunkHash) throw new Error(`split-wasm: ${jsName} carries no hash (Trunk.toml filehash)`);

const { target_directory: target } = JSON.parse(
  run('cargo', ['metadata', '--format-version', '1', '--no-deps']),
);
const cargoWasm = join(target, 'wasm32-unknown-unknown', 'release', `${CRATE}.wasm`);

const work = mkdtempSync(join(tmpdir(), 'split-wasm-'));
try {
  const linkName = `${CRATE}-parts-${trunkHash}.js`;
  const parts = run('split-wasm', [cargoWasm, join(work, 'split'), `./${jsName}`, `./${linkName}`])
    .split('\n')
    .filter(Boolean);

  run('wasm-bindgen', [
    '--target=web',
    `--out-dir=${join(work, 'bindgen')}`,
    `--out-name=${CRATE}`,
    '--no-typescript',
    // The parts import the main module's table, memory and stack pointer
    // by the linker's names.
    '--keep-lld-exports',
    ...(KEEP_NAMES ? [] : ['--no-demangle']),
    join(work, 'split', 'main.wasm'),
  ]);
  optimise(join(work, 'bindgen', `${CRATE}_bg.wasm`), join(staging, wasmName));
  copyFileSync(join(work, 'bindgen', `${CRATE}.js`), join(staging, jsName));

  let link = readFileSync(join(work, 'split', linkName), 'utf8');
  const written = [];
  for (const part of parts) {
    const optimised = join(work, `opt-${basename(part)}`);
    optimise(part, optimised);
    const bytes = readFileSync(optimised);
    // split_<part> and chunk_<n> (code shared by parts) as page assets.
    const stem = basename(part, '.wasm').replace(/^split_/, 'part-').replace(/^chunk_/, 'shared-');
    const name = `${CRATE}-${stem}-${hex(bytes)}.wasm`;
    const reference = `"./${basename(part)}"`;
    if (!link.includes(reference)) throw new Error(`split-wasm: the link module does not name ${basename(part)}`);
    link = link.replaceAll(reference, `"./${name}"`);
    writeFileSync(join(staging, name), bytes);
    written.push(`${name} ${bytes.length} B`);
  }
  writeFileSync(join(staging, linkName), link);

  // Trunk's integrity digests are of the files replaced above.
  for (const file of [jsName, wasmName]) {
    const attr = new RegExp(`(href="\\./${file.replace(/\./g, '\\.')}"[^>]*integrity=")[^"]+(")`);
    if (!attr.test(index)) throw new Error(`split-wasm: no integrity for ${file} in index.html`);
    index = index.replace(attr, `$1${sri(readFileSync(join(staging, file)))}$2`);
  }
  const preload = `<link rel="modulepreload" href="./${linkName}" crossorigin="anonymous" integrity="${sri(link)}">`;
  index = index.replace('</head>', `${preload}</head>`);
  writeFileSync(indexPath, index);

  console.log(`split-wasm: ${wasmName} and ${parts.length} parts loaded on demand:`);
  for (const line of written) console.log(`  ${line}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

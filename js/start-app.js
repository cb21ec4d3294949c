// Starts the studio: imports wasm-bindgen's module and instantiates the wasm
// whose (hashed) names trunk writes into the two <meta> tags of index.html
// (Trunk.toml `pattern_script`).
//
// Why not trunk's own bootstrap: trunk inlines it as a <script type="module">
// whose text changes with every build, so a Content-Security-Policy would
// need 'unsafe-inline' or a new hash per build. As an external, hashed file
// this runs under `script-src 'self' 'wasm-unsafe-eval'` and the policy never
// changes between builds (docs/deploying.md).
const named = (name) => {
  const meta = document.querySelector(`meta[name="${name}"]`);
  if (!meta) throw new Error(`index.html has no <meta name="${name}">: rebuild with trunk build`);
  // Relative to the page, so the same dist/ works from any sub-path.
  return new URL(meta.content, document.baseURI).href;
};

const { default: init } = await import(named('wan-r2v-app-js'));
const wasm = await init({ module_or_path: named('wan-r2v-app-wasm') });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));

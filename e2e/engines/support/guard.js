// Served first in <head> of the page the engine suite opens (see
// studio-copy.mjs): records every console error, uncaught error, unhandled
// rejection, failed load and Content-Security-Policy violation from the
// first moment, in every engine, since WebKit's WebDriver reports none of
// them. A file, not inline: the studio's policy refuses inline scripts.
(() => {
  const problems = [];
  window.__e2eProblems = problems;
  const add = (text) => {
    if (problems.length < 50) problems.push(String(text).slice(0, 400));
  };
  const consoleError = console.error.bind(console);
  console.error = (...args) => {
    add(`console: ${args.map(String).join(' ')}`);
    consoleError(...args);
  };
  addEventListener(
    'error',
    (e) => {
      const el = e.target;
      if (el && el !== window && el.tagName) {
        const media = el.error ? ` (media error ${el.error.code})` : '';
        add(`failed to load: <${el.tagName.toLowerCase()}> ${el.currentSrc || el.src || el.href || ''}${media}`);
      } else {
        add(`page error: ${e.message} at ${e.filename}:${e.lineno}`);
      }
    },
    true,
  );
  addEventListener('unhandledrejection', (e) => add(`unhandled rejection: ${e.reason?.stack ?? e.reason}`));
  document.addEventListener('securitypolicyviolation', (e) =>
    add(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`),
  );
})();

// Records Content-Security-Policy violations in a page (and its frames):
// the `securitypolicyviolation` event, which fires for every blocked script,
// style, connection, image, media or frame, whether or not the console says so.
//
//   await watchViolations(context);           // before the first page.goto
//   ...
//   assert.deepEqual(await violations(page), []);

/** Installs the listener in every page and frame the context opens. */
export async function watchViolations(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI}`);
    });
  });
}

/** The violations seen so far in `frame` (a Page or a Frame). */
export async function violations(frame) {
  return frame.evaluate(() => window.__cspViolations ?? ['the violation listener is not installed']);
}

/** The page's policy as the browser received it in the header (or null). */
export async function policyHeader(response) {
  return (await response.allHeaders())['content-security-policy'] ?? null;
}

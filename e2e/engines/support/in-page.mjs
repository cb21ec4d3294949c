// What the engine suite runs inside the page, the same in every engine:
// finding controls the way a person names them (a button by its text, a
// field by its label), and reading what is on screen. Sent as source text
// with each script, so it must not close over anything outside itself.

/** Returns the helpers; the suite's page functions receive them as `$`. */
export function pageHelpers() {
  const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
  const byIds = (ids) =>
    ids
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
  /** The accessible name, as far as this page needs it. */
  const nameOf = (el) =>
    norm(
      el.getAttribute('aria-label') ||
        (el.getAttribute('aria-labelledby') && byIds(el.getAttribute('aria-labelledby'))) ||
        (el.labels?.length && [...el.labels].map((l) => l.textContent).join(' ')) ||
        el.textContent ||
        el.value,
    );
  const shown = (el) => {
    if (!el.isConnected || el.closest('[hidden], [inert]')) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const one = (list, what) => {
    if (list.length === 0) return null;
    if (list.length > 1) throw new Error(`${list.length} elements match ${what}`);
    return list[0];
  };
  // No scope is the page; a CSS scope that matches nothing holds nothing.
  const within = (scope) => (scope == null ? document : typeof scope === 'string' ? document.querySelector(scope) : scope);
  const $ = {
    norm,
    nameOf,
    shown,
    all: (selector, scope) => [...(within(scope)?.querySelectorAll(selector) ?? [])],
    /** The one shown button named `name` (a <button>, role=button or <summary>). */
    button: (name, scope) =>
      one(
        $.all('button, [role=button], summary', scope).filter((b) => shown(b) && nameOf(b) === name),
        `button "${name}"`,
      ),
    /** The one form control labelled `label` (a hidden file input counts: its label is what shows). */
    field: (label, scope) =>
      one(
        $.all('input, textarea, select', scope).filter(
          (f) => nameOf(f) === label && (shown(f) || f.type === 'file' || f.type === 'radio'),
        ),
        `field "${label}"`,
      ),
    /**
     * `{ button }`, `{ field }`, `{ choice }` (a radio's label, what a person
     * clicks) or `{ css }` (the first shown match), optionally `in` a CSS scope.
     */
    find: (t) => {
      if (t.button) return $.button(t.button, t.in);
      if (t.field) return $.field(t.field, t.in);
      if (t.choice) return $.field(t.choice, t.in)?.labels?.[0] ?? null;
      return $.all(t.css, t.in).find(shown) ?? null;
    },
    /** Shown text anywhere in `scope` (default: the page). */
    hasText: (text, scope) => {
      const el = within(scope);
      return Boolean(el) && norm(el === document ? document.body.innerText : el.innerText).includes(text);
    },
    /** What a screen reader would be told is focused. */
    focused: () => {
      const el = document.activeElement;
      return el && el !== document.body ? nameOf(el) : '';
    },
  };
  return $;
}

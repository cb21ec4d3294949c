// Walking the page with Tab: every stop, where it sits, and whether it
// shows a focus ring (e2e/a11y-behaviour.test.mjs).

/**
 * Presses Tab from the top of the page until focus leaves the page or
 * comes back round; returns each stop: its name, its column of the studio
 * (-1 above the columns, 2 below them), its top and bottom in its column's
 * content (page coordinates outside the columns), and
 * whether it or the label around it draws a focus ring.
 */
export async function tabStops(page, limit = 400) {
  // Focus a mark at the very top, so the first Tab goes to the page's first stop.
  await page.evaluate(() => {
    const mark = document.createElement('div');
    mark.id = 'e2e-tab-start';
    mark.tabIndex = -1;
    document.body.prepend(mark);
    mark.focus();
  });
  const stops = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const columns = [...document.querySelectorAll('.app-column')];
      const column = el.closest('.app-column');
      let col = columns.indexOf(column);
      if (col < 0) {
        const first = columns[0];
        col = first && first.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING ? -1 : 2;
      }
      // A visually hidden input (a radio, the file picker) shows its ring on its label.
      const shown = el.getBoundingClientRect().width < 4 ? el.closest('label') ?? el : el;
      const r = shown.getBoundingClientRect();
      const ring = (e) => {
        const s = getComputedStyle(e);
        return /0px 0px 0px [1-9]/.test(s.boxShadow) || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1);
      };
      // Where it sits in its column's content: the results column scrolls
      // on its own (style/layout.css), so a page coordinate taken after
      // focus scrolled it says nothing about the order within it.
      const origin = column ? column.getBoundingClientRect().top - column.scrollTop : -scrollY;
      const name =
        el.getAttribute('aria-label') ||
        el.labels?.[0]?.textContent?.trim() ||
        el.textContent?.trim().slice(0, 40) ||
        el.tagName.toLowerCase();
      return {
        name: name.replace(/\s+/g, ' '),
        tag: el.tagName.toLowerCase(),
        col,
        top: r.top - origin,
        bottom: r.bottom - origin,
        left: r.left + scrollX,
        ring: el.matches(':focus-visible') && (ring(shown) || ring(el)),
      };
    });
    if (i === 0) await page.evaluate(() => document.getElementById('e2e-tab-start')?.remove());
    if (!stop) break;
    const same = (a) => a && a.name === stop.name && a.top === stop.top && a.left === stop.left;
    if (same(stops[0])) break;
    // A video's own controls are stops inside the one element: counted once.
    if (same(stops[stops.length - 1])) continue;
    stops.push(stop);
  }
  return stops;
}

/**
 * Stops that come before the one ahead of them in reading order: the
 * studio's columns left to right (or top to bottom on a phone), and in a
 * column top to bottom; on one line, any order.
 */
export function outOfOrder(stops) {
  const found = [];
  for (let i = 1; i < stops.length; i++) {
    const [a, b] = [stops[i - 1], stops[i]];
    const sameLine = b.top < a.bottom && b.bottom > a.top;
    if (b.col < a.col || (b.col === a.col && b.bottom <= a.top + 1 && !sameLine)) {
      found.push(`"${b.name}" (column ${b.col}, y ${Math.round(b.top)}) after "${a.name}" (column ${a.col}, y ${Math.round(a.top)})`);
    }
  }
  return found;
}

/** Stops with no visible focus ring. */
export function withoutFocusRing(stops) {
  return stops.filter((s) => !s.ring).map((s) => `${s.tag} "${s.name}"`);
}

import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// findBy* and waitFor give up after 1 s by default; on a loaded 2-core CI machine Ant Design's
// renders take longer than that, which fails tests whose conditions do come true.
configure({ asyncUtilTimeout: 15_000 });

// jsdom has no layout: what Ant Design asks of the browser, answered plainly.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
window.scrollTo = () => {};
window.ResizeObserver = class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// Ant Design's CSS-in-JS puts its style rules in <head>; jsdom then walks every rule each time a
// style is computed, and Testing Library computes the style of every element a role query looks
// at: two thirds of the suite's time went there (159 s → 86 s for the whole run without them).
// The rules go to an element outside the document instead. What these tests check is the DOM —
// elements, roles, texts, attributes —; what stylesheets hide or show is checked in a real
// browser by ferry-dist's WebUiIT.
const styles = document.createElement('div');
const head = document.head;
const appendChild = head.appendChild.bind(head);
const insertBefore = head.insertBefore.bind(head);
const removeChild = head.removeChild.bind(head);
head.appendChild = (<T extends Node>(node: T): T =>
  node instanceof HTMLStyleElement ? styles.appendChild(node) : appendChild(node)) as typeof head.appendChild;
head.insertBefore = (<T extends Node>(node: T, before: Node | null): T =>
  node instanceof HTMLStyleElement ? styles.appendChild(node) : insertBefore(node, before)) as typeof head.insertBefore;
head.removeChild = (<T extends Node>(node: T): T =>
  node.parentNode === styles ? styles.removeChild(node) : removeChild(node)) as typeof head.removeChild;

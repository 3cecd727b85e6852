// Building DOM nodes. Children are nodes or text, never HTML, so names cannot inject markup.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === undefined || value === null) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** Replaces a container's content; absent parts (null, undefined, false) are left out. */
export function show(container, ...nodes) {
  container.replaceChildren(...nodes.filter((node) => node !== null && node !== undefined && node !== false));
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element (charts and sketches drawn without any external library). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children.flat()) if (child) node.append(child);
  return node;
}

// A small helper to build DOM nodes, shared by the studio's views.

/**
 * Creates `<tag>` with `props` (`text` sets the text, `class` the class name, anything else an
 * attribute) and appends `children` (nodes or strings).
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v;
    else if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

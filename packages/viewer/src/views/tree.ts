// The sidebar tree: every acquisition and processing object, tables as leaves; a click opens the
// view that shows it.
import { h } from '../dom.js';
import type { TreeNode } from '../lib/tree.js';

const OPEN_BY_DEFAULT = new Set(['/acquisition', '/processing', '/intervals', '/units']);

export function treeView(root: TreeNode, onPick: (n: TreeNode) => void): HTMLElement {
  const item = (n: TreeNode, depth: number): HTMLElement => {
    const label = h(
      'div',
      {
        class: `tree-label view-${n.view}`,
        title: [n.neurodataType, n.description, n.shape ? `[${n.shape.join(' × ')}] ${n.dtype ?? ''}` : '']
          .filter(Boolean)
          .join('\n'),
        dataset: { path: n.path },
      },
      n.children.length ? h('span', { class: 'twisty' }) : h('span', { class: 'twisty leaf' }),
      h('span', { class: 'tree-name' }, n.name),
      n.neurodataType
        ? h('span', { class: 'badge' }, n.neurodataType)
        : n.shape
          ? h('span', { class: 'dims' }, `[${n.shape.join('×')}]`)
          : null,
    );
    const kids = n.children.length
      ? h(
          'div',
          { class: 'tree-children' },
          n.children.map((c) => item(c, depth + 1)),
        )
      : null;
    // Data folders open down to their series and tables; /general stays closed.
    const open = OPEN_BY_DEFAULT.has(n.path) || (depth < 3 && /^\/(processing|acquisition)\//.test(n.path));
    const el = h('div', { class: `tree-item${open ? ' open' : ''}` }, label, kids);
    label.addEventListener('click', () => {
      if (kids) el.classList.toggle('open');
      onPick(n);
      document.querySelectorAll('.tree-label.active').forEach((e) => e.classList.remove('active'));
      label.classList.add('active');
    });
    return el;
  };
  return h(
    'div',
    { class: 'tree', dataset: { testid: 'tree' } },
    root.children.map((c) => item(c, 0)),
  );
}

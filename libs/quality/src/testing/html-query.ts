import { parse } from 'parse5';

/** A parsed element, reduced to what the report tests read. */
export interface Element {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly Element[];
  readonly text: string;
}

interface P5Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: P5Node[];
  content?: P5Node;
}

/** Parses a whole document with parse5 (the HTML standard's algorithm) into plain elements. */
export function parseHtml(html: string): Element {
  return toElement(parse(html) as unknown as P5Node);
}

function toElement(node: P5Node): Element {
  const children = (node.childNodes ?? []).filter((c) => c.nodeName !== '#comment');
  const elements = children.filter((c) => c.tagName !== undefined).map(toElement);
  const text = children
    .map((c) => (c.nodeName === '#text' ? (c.value ?? '') : c.tagName ? toElement(c).text : ''))
    .join('');
  return {
    tag: node.tagName ?? node.nodeName,
    attrs: Object.fromEntries((node.attrs ?? []).map((a) => [a.name, a.value])),
    children: elements,
    text,
  };
}

/** Every element below `root` (depth first) that satisfies `match`. */
export function findAll(root: Element, match: (e: Element) => boolean): Element[] {
  return root.children.flatMap((c) => [...(match(c) ? [c] : []), ...findAll(c, match)]);
}

export const byTag = (tag: string) => (e: Element) => e.tag === tag;
export const byAttr = (name: string, value?: string) => (e: Element) =>
  value === undefined ? name in e.attrs : e.attrs[name] === value;

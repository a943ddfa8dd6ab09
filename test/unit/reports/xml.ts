/**
 * A small XML well-formedness check for the SVG charts (no XML parser in the dependencies): one root
 * element, every tag closed in order, attributes quoted and unique, only the predefined or numeric entity
 * references, no raw "<" or "&" in text or attribute values, no control characters.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;

function checkText(s: string, where: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s)) throw new Error(`control character in ${where}`);
  if (s.includes('<')) throw new Error(`raw < in ${where}`);
  const amp = /&([^;]*);?/g;
  for (let m = amp.exec(s); m; m = amp.exec(s)) {
    if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1]!) || !m[0].endsWith(';'))
      throw new Error(`bad entity ${m[0]} in ${where}`);
  }
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

export function parseXml(doc: string): XmlElement {
  let s = doc.replace(/^\uFEFF/, '');
  s = s.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < s.length) {
    if (s[i] === '<') {
      if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i);
        if (end < 0) throw new Error('unclosed comment');
        i = end + 3;
        continue;
      }
      const end = s.indexOf('>', i);
      if (end < 0) throw new Error('unclosed tag');
      const raw = s.slice(i + 1, end);
      i = end + 1;
      if (raw.startsWith('/')) {
        const name = raw.slice(1).trim();
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> closes ${open ? `<${open.name}>` : 'nothing'}`);
        continue;
      }
      const selfClosing = raw.endsWith('/');
      const body = selfClosing ? raw.slice(0, -1) : raw;
      const nameMatch = /^\s*([^\s/>]+)/.exec(body);
      if (!nameMatch || !NAME.test(nameMatch[1]!)) throw new Error(`bad tag <${raw}>`);
      const attributes: Record<string, string> = {};
      let rest = body.slice(nameMatch[0].length);
      const attr = /^\s+([A-Za-z_:][A-Za-z0-9_:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/;
      for (let m = attr.exec(rest); m; m = attr.exec(rest)) {
        if (m[1]! in attributes) throw new Error(`duplicate attribute ${m[1]}`);
        attributes[m[1]!] = checkText(m[3] ?? m[4] ?? '', `attribute ${m[1]}`);
        rest = rest.slice(m[0].length);
      }
      if (rest.trim()) throw new Error(`bad attributes in <${raw}>: ${rest.trim()}`);
      const el: XmlElement = { name: nameMatch[1]!, attributes, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(el);
      else if (root) throw new Error('more than one root element');
      else root = el;
      if (!selfClosing) stack.push(el);
    } else {
      const next = s.indexOf('<', i);
      const text = s.slice(i, next < 0 ? s.length : next);
      i = next < 0 ? s.length : next;
      const decoded = checkText(text, 'text');
      if (stack.length) stack[stack.length - 1]!.text += decoded;
      else if (text.trim()) throw new Error('text outside the root element');
    }
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  return [...(pred(el) ? [el] : []), ...el.children.flatMap((c) => findAll(c, pred))];
}

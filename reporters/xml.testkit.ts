// A small strict XML 1.0 well-formedness checker for the junit tests (no dependency needed for
// the subset the reporter writes: a declaration, elements, attributes, text, references).
// It throws on anything malformed and returns the tree with references decoded.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_:][\\w.:-]*';
// XML 1.0 §2.2 Char, minus what has to be escaped
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REF = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9A-Fa-f]+));/g;

function decode(raw: string, where: string): string {
  if (BAD_CHAR.test(raw)) throw new Error(`${where}: character not allowed in XML 1.0`);
  const bare = raw.replace(REF, '');
  if (bare.includes('&')) throw new Error(`${where}: '&' that does not start a valid reference`);
  if (bare.includes('<')) throw new Error(`${where}: raw '<'`);
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return raw.replace(REF, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name !== undefined) return named[name];
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    const ch = String.fromCodePoint(code);
    if (BAD_CHAR.test(ch)) throw new Error(`${where}: reference to a character not allowed in XML 1.0`);
    return ch;
  });
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml\s+version="1\.0"(?:\s+encoding="UTF-8")?\s*\?>/.exec(src);
  if (decl === null) throw new Error('missing <?xml version="1.0" encoding="UTF-8"?> declaration');
  i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const openRe = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*(/?)>`);
  const attrRe = new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g');
  const closeRe = new RegExp(`^</(${NAME})\\s*>`);
  while (i < src.length) {
    const rest = src.slice(i);
    if (rest.startsWith('</')) {
      const m = closeRe.exec(rest);
      if (m === null) throw new Error(`malformed end tag at ${i}`);
      const top = stack.pop();
      if (top === undefined || top.name !== m[1]) throw new Error(`</${m[1]}> at ${i} does not close <${top?.name}>`);
      i += m[0].length;
    } else if (rest.startsWith('<')) {
      const m = openRe.exec(rest);
      if (m === null) throw new Error(`malformed start tag at ${i}: ${rest.slice(0, 40)}`);
      if (stack.length === 0 && root !== undefined) throw new Error(`second root element <${m[1]}> at ${i}`);
      const el: XmlElement = { name: m[1], attrs: {}, children: [], text: '' };
      for (const a of m[2].matchAll(attrRe)) {
        if (a[1] in el.attrs) throw new Error(`duplicate attribute ${a[1]} on <${m[1]}>`);
        el.attrs[a[1]] = decode(a[2], `attribute ${a[1]} of <${m[1]}>`);
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(el);
      else root = el;
      if (m[3] !== '/') stack.push(el);
      i += m[0].length;
    } else {
      const next = rest.indexOf('<');
      const raw = next < 0 ? rest : rest.slice(0, next);
      if (raw.includes(']]>')) throw new Error(`']]>' in text at ${i}`);
      const text = decode(raw, `text at ${i}`);
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error(`text outside the root element at ${i}`);
      } else stack[stack.length - 1].text += text;
      i += raw.length;
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (root === undefined) throw new Error('no root element');
  return root;
}

/** Every element named `name`, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

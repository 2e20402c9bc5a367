// Narrative XHTML (Narrative.div): parsed as XML by saxes and checked with the rules the HL7 Java validator applies
// (txt-1: the XHTML namespace, the allow-lists of elements and attributes, no DOCTYPE or processing instructions, safe
// links; structure: no block inside `p`, table and list parentage; txt-2: some non-whitespace content). STU3 and R4
// state the same rules.
import { SaxesParser } from 'saxes';

export const XHTML_NS = 'http://www.w3.org/1999/xhtml';

export interface XhtmlProblem {
  /** `txt-1` (not valid restricted XHTML) or `txt-2` (no content). */
  key: 'txt-1' | 'txt-2';
  message: string;
}

const ELEMENTS = new Set(['p', 'br', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'span', 'b', 'em', 'i', 'strong', 'small', 'big',
  'tt', 'dfn', 'q', 'var', 'abbr', 'acronym', 'cite', 'blockquote', 'hr', 'address', 'bdo', 'kbd', 'sub', 'sup', 'ul', 'ol', 'li',
  'dl', 'dt', 'dd', 'pre', 'table', 'caption', 'colgroup', 'col', 'thead', 'tr', 'tfoot', 'tbody', 'th', 'td', 'code', 'samp', 'img',
  'map', 'area']);

/** Attributes allowed on any element. */
const ATTRIBUTES = new Set(['title', 'style', 'class', 'id', 'lang', 'xml:lang', 'dir', 'accesskey', 'tabindex',
  'span', 'width', 'align', 'valign', 'char', 'charoff', 'abbr', 'axis', 'headers', 'scope', 'rowspan', 'colspan']);

/** Attributes allowed on one element only (`element.attribute`). */
const ELEMENT_ATTRIBUTES = new Set(['a.href', 'a.name', 'a.charset', 'a.type', 'a.hreflang', 'a.rel', 'a.rev', 'a.shape', 'a.coords',
  'img.src', 'img.border', 'img.alt', 'img.longdesc', 'img.height', 'img.width', 'img.usemap', 'img.ismap', 'blockquote.cite', 'q.cite',
  'map.name', 'area.shape', 'area.coords', 'area.href', 'area.nohref', 'area.alt', 'table.summary', 'table.width', 'table.border',
  'table.frame', 'table.rules', 'table.cellspacing', 'table.cellpadding', 'pre.space', 'td.nowrap']);

/** Elements that start a block: not allowed inside `p`. */
const BLOCK = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'dl', 'table', 'pre', 'blockquote', 'hr', 'address']);

/** Elements that may only appear directly inside one of the listed parents. */
const PARENTS: Record<string, string[]> = {
  li: ['ul', 'ol'],
  dt: ['dl'],
  dd: ['dl'],
  tr: ['table', 'thead', 'tbody', 'tfoot'],
  td: ['tr'],
  th: ['tr'],
  thead: ['table'],
  tbody: ['table'],
  tfoot: ['table'],
  caption: ['table'],
  colgroup: ['table'],
  col: ['table', 'colgroup'],
  area: ['map'],
};

/** Elements whose direct children are restricted (text other than whitespace is not allowed either). */
const CHILDREN: Record<string, Set<string>> = {
  ul: new Set(['li']),
  ol: new Set(['li']),
  dl: new Set(['dt', 'dd']),
  table: new Set(['caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr']),
  thead: new Set(['tr']),
  tbody: new Set(['tr']),
  tfoot: new Set(['tr']),
  tr: new Set(['td', 'th']),
  colgroup: new Set(['col']),
};

/** Link schemes a narrative may use (relative links and fragments are always allowed). */
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel', 'ftp', 'urn', 'news', 'fax']);

// Named character references of HTML 4 that narratives use (the Java validator's parser knows them too). XML's five
// are built into saxes.
const LATIN1 = ('nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para '
  + 'middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml '
  + 'Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave '
  + 'aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde '
  + 'ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml').split(' ');
const SPECIAL: Record<string, number> = {
  OElig: 338, oelig: 339, Scaron: 352, scaron: 353, Yuml: 376, fnof: 402, circ: 710, tilde: 732, ensp: 8194, emsp: 8195, thinsp: 8201,
  zwnj: 8204, zwj: 8205, lrm: 8206, rlm: 8207, ndash: 8211, mdash: 8212, lsquo: 8216, rsquo: 8217, sbquo: 8218, ldquo: 8220,
  rdquo: 8221, bdquo: 8222, dagger: 8224, Dagger: 8225, bull: 8226, hellip: 8230, permil: 8240, prime: 8242, Prime: 8243,
  lsaquo: 8249, rsaquo: 8250, euro: 8364, trade: 8482, larr: 8592, uarr: 8593, rarr: 8594, darr: 8595, harr: 8596, minus: 8722,
  infin: 8734, ne: 8800, le: 8804, ge: 8805, asymp: 8776, sum: 8721, radic: 8730, micro: 181, alpha: 945, beta: 946, gamma: 947,
  delta: 948, mu: 956, pi: 960, sigma: 963, Omega: 937, omega: 969,
};
const HTML_ENTITIES: Record<string, string> = Object.fromEntries([
  ...LATIN1.map((name, i) => [name, String.fromCharCode(160 + i)]),
  ...Object.entries(SPECIAL).map(([name, cp]) => [name, String.fromCharCode(cp)]),
]);

function schemeOf(url: string): string | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Problems of one Narrative.div value (empty when it is valid). Linear in the size of the value. */
export function checkXhtml(div: string): XhtmlProblem[] {
  const problems: XhtmlProblem[] = [];
  const seen = new Set<string>();
  const bad = (message: string, key: 'txt-1' | 'txt-2' = 'txt-1') => {
    // One finding per distinct problem: a table of 10,000 bad cells is one message, not 10,000.
    if (seen.has(message) || problems.length >= 20) return;
    seen.add(message);
    problems.push({ key, message });
  };
  const parser = new SaxesParser({ xmlns: true, position: false });
  Object.assign(parser.ENTITIES, HTML_ENTITIES);
  const stack: string[] = [];
  let depth = 0;
  let content = false;
  let rootSeen = false;
  let fatal: string | undefined;
  parser.on('error', (e) => {
    if (!fatal) fatal = e.message.replace(/^[^:]*:\d+:\d+: /, '');
  });
  parser.on('doctype', () => bad('the XHTML must not contain a DOCTYPE declaration'));
  parser.on('processinginstruction', (pi) => bad(`the XHTML must not contain processing instructions (found <?${pi.target}?>)`));
  parser.on('xmldecl', () => bad('the XHTML must not start with an XML declaration (<?xml ...?>)'));
  parser.on('text', (t) => {
    if (!/\S/.test(t)) return;
    content = true;
    const parent = stack[stack.length - 1];
    if (parent && CHILDREN[parent]) bad(`text is not allowed directly inside <${parent}>`);
  });
  parser.on('cdata', (t) => {
    if (/\S/.test(t)) content = true;
  });
  parser.on('opentag', (tag) => {
    const name = tag.local;
    const ns = tag.uri;
    depth++;
    if (depth === 1) {
      rootSeen = true;
      if (name !== 'div') bad(`the narrative must be a single <div> element, found <${tag.name}>`);
      if (ns !== XHTML_NS) bad(`the <div> must be in the XHTML namespace: add xmlns="${XHTML_NS}"${ns ? ` (found '${ns}')` : ''}`);
    } else {
      if (ns !== XHTML_NS) bad(`<${tag.name}> is not in the XHTML namespace ${XHTML_NS}${ns ? ` (found '${ns}')` : ''}`);
      if (!ELEMENTS.has(name)) bad(`element <${tag.name}> is not allowed in a narrative`);
      const parent = stack[stack.length - 1]!;
      if (parent === 'p' && BLOCK.has(name)) bad(`<${name}> is a block element and is not allowed inside <p>`);
      const parents = PARENTS[name];
      if (parents && !parents.includes(parent)) bad(`<${name}> must be inside ${parents.map((p) => `<${p}>`).join(' or ')}, not <${parent}>`);
      const allowed = CHILDREN[parent];
      if (allowed && !allowed.has(name) && ELEMENTS.has(name) && !parents) bad(`<${name}> is not allowed directly inside <${parent}>`);
    }
    if (name === 'img') content = true;
    for (const a of Object.values(tag.attributes)) {
      const an = a.prefix === 'xml' ? `xml:${a.local}` : a.local;
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      if (a.uri && a.uri !== XHTML_NS && a.prefix !== 'xml') {
        bad(`attribute '${a.name}' on <${name}> is not allowed in a narrative`);
        continue;
      }
      if (!ATTRIBUTES.has(an) && !ELEMENT_ATTRIBUTES.has(`${name}.${an}`)) {
        bad(`attribute '${a.name}' on <${name}> is not allowed in a narrative${/^on/i.test(an) ? ' (no scripts)' : ''}`);
        continue;
      }
      if ((an === 'href' || an === 'src' || an === 'cite' || an === 'longdesc') && a.value) {
        const scheme = schemeOf(a.value);
        const ok = scheme === undefined || SAFE_SCHEMES.has(scheme) || (scheme === 'data' && name === 'img' && /^\s*data:image\//i.test(a.value));
        if (!ok) bad(`<${name} ${an}="${a.value.slice(0, 60)}"> uses the '${scheme}:' scheme, which is not safe in a narrative`);
      }
    }
    stack.push(name);
  });
  parser.on('closetag', () => {
    stack.pop();
    depth--;
  });
  try {
    parser.write(div).close();
  } catch {
    // saxes reports through the error handler; a throw after it only ends the parse
  }
  if (fatal) {
    return [{ key: 'txt-1', message: `the narrative is not well-formed XHTML: ${fatal}` }, ...problems];
  }
  if (!rootSeen) bad('the narrative has no <div> element');
  if (!content) bad('the narrative must have some non-whitespace content', 'txt-2');
  return problems;
}

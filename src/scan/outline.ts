/**
 * A YARA source's outline for `telltale rules show`: each rule's name and line, modifiers, tags, meta,
 * patterns (kind and modifiers) and condition text. YARA-X's JS API exposes none of this, and a full
 * parser is not needed: a lexer that knows YARA's literals (strings, regexes, hex strings, comments)
 * finds the sections. Meant for sources that compiled; on anything else it does its best.
 */

export type PatternKind = 'text' | 'hex' | 'regex';

export interface PatternOutline {
  identifier: string;
  kind: PatternKind;
  /** The literal as written. */
  value: string;
  modifiers: string[];
}

export interface RuleOutline {
  name: string;
  line: number;
  /** `private`, `global`. */
  modifiers: string[];
  tags: string[];
  meta: { key: string; value: string }[];
  patterns: PatternOutline[];
  condition: string;
}

export interface SourceOutline {
  imports: string[];
  /** `include "path"` statements, with the line each is on and their span in the source. */
  includes: Array<{ path: string; line: number; start: number; end: number }>;
  rules: RuleOutline[];
}

interface Token {
  text: string;
  kind: 'word' | 'string' | 'regex' | 'hex' | 'punct';
  start: number;
  end: number;
  line: number;
}

class Lexer {
  private i = 0;
  private line = 1;
  constructor(private readonly src: string) {}

  get pos(): number {
    return this.i;
  }

  /** The next token; `literal` says a regex or hex string may start here (after `=` or `matches`). */
  next(literal = false): Token | undefined {
    this.skip();
    const s = this.src;
    if (this.i >= s.length) return undefined;
    const start = this.i;
    const line = this.line;
    const c = s[this.i];
    const tok = (kind: Token['kind']): Token => ({
      text: s.slice(start, this.i),
      kind,
      start,
      end: this.i,
      line,
    });
    if (c === '"') {
      this.delimited('"');
      return tok('string');
    }
    if (literal && c === '/') {
      this.delimited('/');
      while (/[is]/.test(s[this.i] ?? '')) this.i++;
      return tok('regex');
    }
    if (literal && c === '{') {
      while (this.i < s.length && s[this.i] !== '}') this.advance();
      this.i++;
      return tok('hex');
    }
    if (/[\w$#@!]/.test(c)) {
      this.i++;
      while (this.i < s.length && /[\w*]/.test(s[this.i])) this.i++;
      return tok('word');
    }
    this.i++;
    return tok('punct');
  }

  private advance(): void {
    if (this.src[this.i] === '\n') this.line++;
    this.i++;
  }

  private skip(): void {
    const s = this.src;
    while (this.i < s.length) {
      if (/\s/.test(s[this.i])) this.advance();
      else if (s.startsWith('//', this.i)) while (this.i < s.length && s[this.i] !== '\n') this.i++;
      else if (s.startsWith('/*', this.i)) {
        while (this.i < s.length && !s.startsWith('*/', this.i)) this.advance();
        this.i += 2;
      } else return;
    }
  }

  private delimited(quote: string): void {
    let inClass = false;
    for (this.i++; this.i < this.src.length && this.src[this.i] !== '\n'; this.i++) {
      const c = this.src[this.i];
      if (c === '\\') this.i++;
      else if (quote === '/' && c === '[') inClass = true;
      else if (quote === '/' && c === ']') inClass = false;
      else if (c === quote && !inClass) {
        this.i++;
        return;
      }
    }
  }
}

const SECTIONS = new Set(['meta', 'strings', 'condition']);

export function outline(src: string): SourceOutline {
  const lx = new Lexer(src);
  const out: SourceOutline = { imports: [], includes: [], rules: [] };
  const modifiers: string[] = [];
  for (let t = lx.next(); t; t = lx.next()) {
    if (t.text === 'import' || t.text === 'include') {
      const name = lx.next();
      if (t.text === 'import' && name) out.imports.push(name.text.slice(1, -1));
      else if (name)
        out.includes.push({ path: name.text.slice(1, -1), line: t.line, start: t.start, end: name.end });
    } else if (t.text === 'private' || t.text === 'global') modifiers.push(t.text);
    else if (t.text === 'rule') {
      const rule = parseRule(src, lx, [...modifiers]);
      if (rule) out.rules.push(rule);
      modifiers.length = 0;
    }
  }
  return out;
}

function parseRule(src: string, lx: Lexer, modifiers: string[]): RuleOutline | undefined {
  const name = lx.next();
  if (!name) return undefined;
  const rule: RuleOutline = {
    name: name.text,
    line: name.line,
    modifiers,
    tags: [],
    meta: [],
    patterns: [],
    condition: '',
  };
  let t = lx.next();
  if (t?.text === ':') for (t = lx.next(); t && t.text !== '{'; t = lx.next()) rule.tags.push(t.text);
  let section = '';
  let pending: Token[] = [];
  let conditionStart = -1;
  let depth = 0;
  for (
    let prev: Token | undefined, tok = lx.next();
    tok;
    prev = tok, tok = lx.next(literalAfter(prev, tok))
  ) {
    if (tok.text === '}' && depth === 0) {
      flush(rule, section, pending);
      if (conditionStart >= 0)
        rule.condition = src.slice(conditionStart, tok.start).trim().replace(/\s+/g, ' ');
      return rule;
    }
    if (SECTIONS.has(tok.text) && depth === 0 && peekColon(src, tok.end)) {
      flush(rule, section, pending);
      pending = [];
      section = tok.text;
      lx.next(); // ':'
      if (section === 'condition') conditionStart = lx.pos;
      continue;
    }
    if (section === 'condition') {
      if (tok.text === '(') depth++;
      else if (tok.text === ')') depth--;
      continue;
    }
    pending.push(tok);
  }
  return rule;
}

/** A regex or hex string may follow `=` (meta excluded: hex can't) and `matches`. */
function literalAfter(prev: Token | undefined, tok: Token): boolean {
  return tok.text === '=' || tok.text === 'matches' || (prev?.text === '=' && tok.kind === 'punct');
}

function peekColon(src: string, at: number): boolean {
  return /^\s*:/.test(src.slice(at, at + 16));
}

function flush(rule: RuleOutline, section: string, toks: Token[]): void {
  if (section === 'meta') {
    for (let i = 0; i + 2 < toks.length; i += 3) {
      let value = toks[i + 2].text;
      if (value === '-' && toks[i + 3]) value += toks[++i + 2].text; // negative number
      rule.meta.push({ key: toks[i].text, value: value.startsWith('"') ? value.slice(1, -1) : value });
    }
  } else if (section === 'strings') {
    for (let i = 0; i < toks.length;) {
      const id = toks[i];
      const lit = toks[i + 2];
      if (!lit) break;
      const p: PatternOutline = {
        identifier: id.text,
        kind: lit.kind === 'hex' ? 'hex' : lit.kind === 'regex' ? 'regex' : 'text',
        value: lit.text.replace(/\s+/g, ' '),
        modifiers: [],
      };
      i += 3;
      while (i < toks.length && !toks[i].text.startsWith('$')) {
        if (toks[i].kind === 'word') p.modifiers.push(toks[i].text);
        else if (toks[i].text === '(') {
          // xor(1-255), base64("…"): keep the argument with the modifier
          let arg = '';
          for (i++; i < toks.length && toks[i].text !== ')'; i++) arg += toks[i].text;
          p.modifiers[p.modifiers.length - 1] += `(${arg})`;
        }
        i++;
      }
      rule.patterns.push(p);
    }
  }
}

/** "This rule contains 4 string patterns in its detection logic" — seed 000's wording. */
export function describePatterns(patterns: PatternOutline[]): string {
  if (patterns.length === 0) return 'This rule contains no string patterns: its condition alone decides.';
  const kinds = (['text', 'hex', 'regex'] as const)
    .map((k) => [k, patterns.filter((p) => p.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  const n = patterns.length;
  return `This rule contains ${n} string pattern${n === 1 ? '' : 's'} in its detection logic (${kinds.join(', ')}).`;
}

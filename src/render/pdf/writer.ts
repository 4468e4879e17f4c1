import { deflateSync } from 'node:zlib';

/**
 * A small writer for the PDF files the renderer makes: numbered indirect objects written as they
 * come, streams (Flate-compressed unless told otherwise), a `%PDF-1.4` header with a binary
 * comment, a classic cross-reference table and a trailer. No object streams, no xref streams,
 * no incremental updates: what PDF/A-1 (based on PDF 1.4) allows and every reader takes.
 *
 * Values are PDF syntax already (strings made with the helpers below), so writing an object is
 * joining strings; the only binary data are stream contents.
 */

/** A reference to indirect object `n`. */
export const ref = (n: number): string => `${n} 0 R`;

/** A number: at most three decimals, no exponent, no trailing zeros, no "-0". */
export function num(v: number): string {
  // r / 1000 is the double nearest the three-decimal value, whose shortest form String() gives;
  // String(-0) is "0".
  return String(Math.round(v * 1000) / 1000);
}

/** A name object: characters outside `!`..`~`, delimiters and `#` are written as `#xx`. */
export function name(s: string): string {
  let out = '/';
  for (const b of Buffer.from(s, 'utf8')) {
    out += b < 0x21 || b > 0x7e || '#()<>[]{}/%'.includes(String.fromCharCode(b)) ? `#${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  }
  return out;
}

/** A literal string of bytes 0..255: `\`, `(` and `)` escaped, other non-printing bytes as octal. */
export function literal(s: string): string {
  let out = '(';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new Error(`literal string with a character above U+00FF: ${JSON.stringify(s)}`);
    if (c === 0x5c || c === 0x28 || c === 0x29) out += `\\${s[i]}`;
    else if (c < 0x20 || c > 0x7e) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += s[i];
  }
  return `${out})`;
}

/** A hexadecimal string of bytes. */
export const hex = (bytes: Uint8Array): string => `<${Buffer.from(bytes).toString('hex').toUpperCase()}>`;

/** A text string: printable ASCII as a literal, anything else UTF-16BE with a byte order mark. */
export function textString(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return literal(s);
  let out = '<FEFF';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `${out}>`;
}

/** A dictionary from [key, value] entries (values already PDF syntax); undefined values are left out. */
export function dict(entries: Record<string, string | undefined>): string {
  let out = '<<';
  for (const k in entries) {
    const v = entries[k];
    if (v !== undefined) out += ` /${k} ${v}`;
  }
  return `${out} >>`;
}

export const array = (items: readonly string[]): string => `[${items.join(' ')}]`;

interface StreamOptions {
  /** Compress with FlateDecode (default true). The XMP metadata stream must stay plain. */
  compress?: boolean;
  /** The data are Flate-compressed already (written as they are, marked FlateDecode). */
  deflated?: boolean;
  /** zlib's compression level (default 6). */
  level?: number;
}

export class PdfWriter {
  /**
   * The body of each object as a latin1 string, one character per byte (index = object number; 0
   * is the free head of the xref). The file is joined as one string and converted to bytes once:
   * a Buffer per object, and copies of them, cost more than the characters.
   */
  private readonly bodies: Array<string | undefined> = [undefined];

  /** Reserves an object number, for objects that are referred to before they are written. */
  alloc(): number {
    this.bodies.push(undefined);
    return this.bodies.length - 1;
  }

  /** Writes a non-stream object (a dictionary, array, …) under a reserved number. */
  set(n: number, body: string): number {
    if (this.bodies[n] !== undefined) throw new Error(`PDF object ${n} written twice`);
    this.bodies[n] = body;
    return n;
  }

  /** Writes a non-stream object under a new number. */
  add(body: string): number {
    return this.set(this.alloc(), body);
  }

  /**
   * Writes a stream: `entries` are its dictionary (without /Length and /Filter, which are added),
   * `data` its bytes (a string is taken as latin1). Returns the object number.
   */
  stream(entries: Record<string, string | undefined>, data: Uint8Array | string, opts: StreamOptions = {}, n = this.alloc()): number {
    const compress = opts.deflated || (opts.compress ?? true);
    let body: string;
    if (compress && !opts.deflated) {
      const raw = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
      body = deflateSync(raw, opts.level === undefined ? undefined : { level: opts.level }).toString('latin1');
    } else body = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
    const head = dict({ ...entries, Length: String(body.length), Filter: compress ? '/FlateDecode' : undefined });
    return this.set(n, `${head}\nstream\n${body}\nendstream`);
  }

  /**
   * The file: header, objects in number order, xref table, trailer with /Size, /Root, /Info and
   * both halves of /ID set to `id` (32 hex digits).
   */
  finish(root: number, info: number, id: string): Uint8Array {
    let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
    const size = this.bodies.length;
    let xref = `xref\n0 ${size}\n0000000000 65535 f \n`;
    for (let n = 1; n < size; n++) {
      const body = this.bodies[n];
      if (body === undefined) throw new Error(`PDF object ${n} reserved but never written`);
      xref += `${String(out.length).padStart(10, '0')} 00000 n \n`;
      out += `${n} 0 obj\n${body}\nendobj\n`;
    }
    const idHex = `<${id.toUpperCase()}>`;
    out += `${xref}trailer\n${dict({ Size: String(size), Root: ref(root), Info: ref(info), ID: `[${idHex} ${idHex}]` })}\nstartxref\n${out.length}\n%%EOF\n`;
    const bytes = Buffer.from(out, 'latin1');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

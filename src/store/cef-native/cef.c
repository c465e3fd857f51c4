/*
 * Telltale's CEF tokenizer (store/cef-native.ts drives it). It reads the lines of a buffer the way the
 * SQL plan of store/cef-sql.ts does, with the same answer for every line, and writes the data lines
 * straight into DuckDB's vector layouts, so DuckDB's appender takes them with nothing left to parse:
 *   - strings as duckdb_string_t (16 bytes: length + 12 inlined bytes, or length + 4-byte prefix +
 *     a pointer into the caller's buffer or the extras arena, which the caller keeps alive until the
 *     appender has flushed);
 *   - INTEGER int32, BIGINT int64, DOUBLE, TIMESTAMP int64 microseconds; one validity bit per row.
 * A line is "data" only when it has the plain shape the SQL reads (no escape, quote or odd whitespace,
 * one of the plan's templates, every typed value of the plain shape); every other non-blank line goes
 * back to the caller as "reader" (the JavaScript reader decides). Invalid UTF-8 or a line over the cap
 * stops the parse with a status: the caller then loads the file the slow way, as when DuckDB refuses it.
 *
 * parser(templates: string[][], spec: Int32Array, keyIndex: Int32Array, extras: Uint8Array, year)
 *   spec: per field [source, conversion, header index]; keyIndex: per field and template the index of
 *   its key in the template (-1: none); extras: per template and key, 1 if `*` (AdditionalExtensions)
 *   takes the pair.
 * parse(parser, buf, start, end, cols, validity, arena, readers, state: Float64Array) -> Promise (the cut
 *   runs on a libuv worker thread; the arrays are the caller's again when it settles); state:
 *   in: [0] line number of the first line, [1] max line bytes, [5] arena offset;
 *   out: [0] next line number, [2] rows, [3] blank lines, [4] reader lines, [5] arena offset,
 *   [6] next start, [7] status (0 ok, 1 invalid UTF-8, 2 line too long), [8] 1 once the cut is done.
 * wait(state): blocks until the cut writing `state` is done (for a caller that cannot await).
 * lines(buf, start, end): the number of newlines in buf[start, end).
 */
#define NAPI_VERSION 8
#define _GNU_SOURCE
#include <locale.h>
#include <math.h>
#include <node_api.h>
#include <uv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 2048
#define MAX_PAIRS 512
#define MAX_READERS 4096

enum source { SRC_HEADER = 0, SRC_HOST = 1, SRC_TIME = 2, SRC_KEY = 3, SRC_EXTRAS = 4 };
enum conversion { CONV_STRING = 0, CONV_INT = 1, CONV_LONG = 2, CONV_REAL = 3, CONV_TIME = 4 };

typedef struct {
  int nkeys;
  const char **keys;
  int *keylen;
  const uint8_t *extras; /* per key: the pair goes to AdditionalExtensions */
} template_t;

typedef struct {
  int ntemplates;
  template_t *templates;
  int nfields;
  int32_t *spec;     /* nfields * 3 */
  int32_t *keyIndex; /* nfields * ntemplates */
  uint8_t *extras;
  int year;
} parser_t;

typedef struct {
  const uint8_t *p;
  size_t n;
} slice_t;

/* ---- one line's cut ---- */

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

/* Validates UTF-8 and tells whether the text holds whitespace JavaScript's trim() removes beyond
 * ASCII (the SQL sends such lines to the reader). Returns 0 invalid, 1 valid. */
static int utf8_check(const uint8_t *p, size_t n, int *wide) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t len;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else
      return 0;
    if (i + len > n) return 0;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
      return 0;
    if (cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
        cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff)
      *wide = 1;
    i += len;
  }
  return 1;
}

/* What one pass over a line finds: the SQL's odd-line tests (cef-sql.ts ODD, plus bytes DuckDB's line
 * reader would not take: NUL, its \x01 delimiter), whether it holds non-ASCII bytes, the first seven '|'
 * and every '=' after the seventh (absolute offsets). */
typedef struct {
  int odd, nonascii, overflow; /* overflow: more than MAX_PAIRS '=' in the extension */
  int np, neq;
  size_t pipes[7];
  size_t eq[MAX_PAIRS];
} marks_t;

/* The byte at i is one the scan looks at (the block masks below select the same set). */
static void mark(const uint8_t *p, size_t n, size_t i, marks_t *m) {
  uint8_t c = p[i];
  if (c == '|') {
    if (m->np < 7) m->pipes[m->np++] = i;
  } else if (c == '=') {
    if (i + 1 < n) {
      uint8_t d = p[i + 1];
      if (d == '"' || d == '\'') m->odd = 1;
      if (d == ' ') {
        size_t j = i + 1;
        while (j < n && p[j] == ' ') j++;
        if (j < n && (p[j] == '"' || p[j] == '\'')) m->odd = 1;
      }
    }
    if (m->np == 7) {
      if (m->neq == MAX_PAIRS)
        m->overflow = 1;
      else
        m->eq[m->neq++] = i;
    }
  } else if (c == '#') {
    if (i + 1 < n && p[i + 1] == '0') m->odd = 1;
  } else {
    m->odd = 1; /* '\\', NUL, \x01, \t..\r */
  }
}

#ifdef __SSE2__
#include <emmintrin.h>
/* Bit k set where p[k] is '|', '=', '#', '\\', <= 1 or \t..\r; *hi: any byte >= 0x80. */
static inline unsigned block_mask(const uint8_t *p, unsigned *hi) {
  __m128i v = _mm_loadu_si128((const __m128i *)p);
  __m128i ctl = _mm_sub_epi8(v, _mm_set1_epi8(9));
  __m128i m = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('|')), _mm_cmpeq_epi8(v, _mm_set1_epi8('='))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('#')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(1)), v));
  m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_min_epu8(ctl, _mm_set1_epi8(4)), ctl));
  *hi = (unsigned)_mm_movemask_epi8(v);
  return (unsigned)_mm_movemask_epi8(m) & ~*hi;
}
#define BLOCK 16
#endif

static inline int looked_at(uint8_t c) {
  return c == '|' || c == '=' || c == '#' || c == '\\' || c <= 1 || (c >= 9 && c <= 13);
}

/* One pass over the line: 16 bytes at a time where SSE2 is there (x86-64 always), visiting only the
 * bytes that matter (~25 of a typical line's ~280); byte by byte elsewhere and for the tail. */
static void scan_line(const uint8_t *p, size_t n, marks_t *m) {
  m->odd = m->nonascii = m->overflow = 0;
  m->np = m->neq = 0;
  size_t i = 0;
#ifdef BLOCK
  for (; i + BLOCK <= n && !m->odd; i += BLOCK) {
    unsigned hi;
    unsigned bits = block_mask(p + i, &hi);
    if (hi) m->nonascii = 1;
    while (bits) {
      mark(p, n, i + (size_t)__builtin_ctz(bits), m);
      bits &= bits - 1;
    }
  }
#endif
  for (; i < n && !m->odd; i++) {
    uint8_t c = p[i];
    if (c >= 0x80)
      m->nonascii = 1;
    else if (looked_at(c))
      mark(p, n, i, m);
  }
}

typedef struct {
  slice_t mon, day, hms, host;
  int has_header;
} prefix_t;

/* `_p[1]` against cef-sql.ts PREFIX_RE: an optional RFC 3164 header, then `CEF:`, spaces, digits. */
static int parse_prefix(const uint8_t *p, size_t n, prefix_t *out) {
  size_t e = n;
  while (e > 0 && is_digit(p[e - 1])) e--;
  if (e == n) return 0;
  while (e > 0 && p[e - 1] == ' ') e--;
  if (e < 4 || memcmp(p + e - 4, "CEF:", 4) != 0) return 0;
  size_t h = e - 4; /* the header: empty, or it ends with a space */
  memset(out, 0, sizeof *out);
  if (h == 0) return 1;
  size_t i = 0;
  if (p[0] == '<') {
    size_t d = 1;
    while (d < h && is_digit(p[d]) && d <= 3) d++;
    if (d == 1 || d > 4 || d >= h || p[d] != '>') return 0;
    i = d + 1;
  }
  if (i + 3 > h || !(p[i] >= 'A' && p[i] <= 'Z') || !(p[i + 1] >= 'a' && p[i + 1] <= 'z') ||
      !(p[i + 2] >= 'a' && p[i + 2] <= 'z'))
    return 0;
  out->mon = (slice_t){p + i, 3};
  i += 3;
  size_t sp = 0;
  while (i < h && p[i] == ' ' && sp < 3) i++, sp++;
  if (sp < 1 || sp > 2) return 0;
  size_t d0 = i;
  while (i < h && is_digit(p[i]) && i - d0 < 3) i++;
  if (i - d0 < 1 || i - d0 > 2 || i >= h || p[i] != ' ') return 0;
  out->day = (slice_t){p + d0, i - d0};
  i++;
  if (i + 9 > h) return 0;
  const uint8_t *t = p + i;
  if (!(is_digit(t[0]) && is_digit(t[1]) && t[2] == ':' && is_digit(t[3]) && is_digit(t[4]) && t[5] == ':' &&
        is_digit(t[6]) && is_digit(t[7]) && t[8] == ' '))
    return 0;
  out->hms = (slice_t){t, 8};
  i += 9;
  /* host: the rest less the final space, no space or '[', not ending with ':' */
  if (p[h - 1] != ' ' || h - 1 <= i) return 0;
  for (size_t k = i; k < h - 1; k++)
    if (p[k] == ' ' || p[k] == '[') return 0;
  if (p[h - 2] == ':') return 0;
  out->host = (slice_t){p + i, h - 1 - i};
  out->has_header = 1;
  return 1;
}

static int contains(slice_t s, const char *what, size_t wn) {
  if (s.n < wn) return 0;
  for (size_t i = 0; i + wn <= s.n; i++)
    if (memcmp(s.p + i, what, wn) == 0) return 1;
  return 0;
}

static slice_t trim_spaces(slice_t s) {
  while (s.n > 0 && s.p[0] == ' ') s.p++, s.n--;
  while (s.n > 0 && s.p[s.n - 1] == ' ') s.n--;
  return s;
}

/* ---- typed values, with the SQL's shape tests (cef-sql.ts cefValue) ---- */

/* [+-]?\d{1,maxDigits}: the value, or 0 when not of that shape. */
static int parse_integer(slice_t s, int max_digits, int64_t *out) {
  size_t i = 0;
  int neg = 0;
  if (s.n > 0 && (s.p[0] == '+' || s.p[0] == '-')) neg = s.p[0] == '-', i = 1;
  size_t digits = s.n - i;
  if (digits < 1 || (int)digits > max_digits) return 0;
  uint64_t v = 0;
  for (; i < s.n; i++) {
    if (!is_digit(s.p[i])) return 0;
    if (v > (UINT64_MAX - 9) / 10) return -1; /* overflow: of the shape but not a number DuckDB casts */
    v = v * 10 + (s.p[i] - '0');
  }
  if (v > (uint64_t)INT64_MAX) return -1;
  *out = neg ? -(int64_t)v : (int64_t)v;
  return 1;
}

static int digits_run(slice_t s, size_t *i, int min, int max) {
  size_t start = *i;
  while (*i < s.n && is_digit(s.p[*i])) (*i)++;
  int n = (int)(*i - start);
  return n >= min && n <= max;
}

/* [+-]?(\d{1,30}\.?\d{0,30}|\.\d{1,30})([eE][+-]?\d{1,2})? */
static int real_shape(slice_t s) {
  size_t i = 0;
  if (i < s.n && (s.p[i] == '+' || s.p[i] == '-')) i++;
  if (i < s.n && s.p[i] == '.') {
    i++;
    if (!digits_run(s, &i, 1, 30)) return 0;
  } else {
    if (!digits_run(s, &i, 1, 30)) return 0;
    if (i < s.n && s.p[i] == '.') i++;
    if (!digits_run(s, &i, 0, 30)) return 0;
  }
  if (i < s.n && (s.p[i] == 'e' || s.p[i] == 'E')) {
    i++;
    if (i < s.n && (s.p[i] == '+' || s.p[i] == '-')) i++;
    if (!digits_run(s, &i, 1, 2)) return 0;
  }
  return i == s.n;
}

/* Numbers are read in the C locale whatever the process's (a `,` decimal point would cut `1.5`). */
static locale_t c_numeric;

static double to_double(slice_t s) {
  char tmp[128];
  size_t n = s.n < sizeof tmp - 1 ? s.n : sizeof tmp - 1;
  memcpy(tmp, s.p, n);
  tmp[n] = 0;
  return strtod_l(tmp, NULL, c_numeric);
}

/* \d{1,17}(\.\d{1,9})? as epoch s / ms / µs (bulk.ts tt_epoch_time); 0 when NULL. */
static int parse_epoch(slice_t s, int64_t *micros) {
  size_t i = 0;
  if (!digits_run(s, &i, 1, 17)) return 0;
  int integral = i == s.n;
  if (!integral) {
    if (s.p[i] != '.') return 0;
    i++;
    if (!digits_run(s, &i, 1, 9) || i != s.n) return 0;
  }
  /* an integer's nearest double, as strtod would give it (at most 17 digits: no int64 overflow) */
  double x;
  if (integral) {
    int64_t v = 0;
    for (size_t k = 0; k < s.n; k++) v = v * 10 + (s.p[k] - '0');
    x = (double)v;
  } else {
    x = to_double(s);
  }
  if (x >= 1e17 || (x >= 1e14 && x < 1e15)) return 0;
  if (x >= 1e15)
    *micros = (int64_t)nearbyint(x);
  else if (x >= 1e11)
    *micros = (int64_t)nearbyint(x * 1000);
  else
    *micros = (int64_t)nearbyint(x * 1000000);
  return 1;
}

static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The syslog time `MMM d HH:mm:ss` in the reference year (try_strptime '%Y %b %d %H:%M:%S'). */
static int syslog_time(const prefix_t *h, int year, int64_t *micros) {
  static const char *months = "JanFebMarAprMayJunJulAugSepOctNovDec";
  int m = 0;
  for (int k = 0; k < 12; k++)
    if (memcmp(months + 3 * k, h->mon.p, 3) == 0) m = k + 1;
  if (m == 0) return 0;
  int d = 0;
  for (size_t k = 0; k < h->day.n; k++) d = d * 10 + (h->day.p[k] - '0');
  static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max = dim[m - 1] + (m == 2 && leap);
  const uint8_t *t = h->hms.p;
  int hh = (t[0] - '0') * 10 + (t[1] - '0'), mm = (t[3] - '0') * 10 + (t[4] - '0'),
      ss = (t[6] - '0') * 10 + (t[7] - '0');
  if (d < 1 || d > max || hh > 23 || mm > 59 || ss > 59) return 0;
  *micros = ((days_from_civil(year, m, d) * 86400) + hh * 3600 + mm * 60 + ss) * 1000000LL;
  return 1;
}

/* ---- writing a row into the vectors ---- */

static void set_valid(uint8_t *validity, int col, int row, int valid) {
  uint64_t *mask = (uint64_t *)(validity + (size_t)col * (BATCH / 8));
  uint64_t bit = 1ULL << (row % 64);
  if (valid)
    mask[row / 64] |= bit;
  else
    mask[row / 64] &= ~bit;
}

static void put_string(uint8_t *cell, slice_t s) {
  uint32_t len = (uint32_t)s.n;
  memset(cell, 0, 16);
  memcpy(cell, &len, 4);
  if (len <= 12) {
    memcpy(cell + 4, s.p, len);
  } else {
    memcpy(cell + 4, s.p, 4);
    const uint8_t *ptr = s.p;
    memcpy(cell + 8, &ptr, sizeof ptr);
  }
}

/* Column c's vector data starts at c * BATCH * 16 whatever its type; a cell is `width` bytes. */
static int width(const parser_t *ps, int col) {
  if (col == ps->nfields) return 8; /* _line BIGINT */
  int conv = ps->spec[col * 3 + 1];
  return conv == CONV_STRING ? 16 : conv == CONV_INT ? 4 : 8;
}

static uint8_t *cell_of(const parser_t *ps, uint8_t *cols, int col, int row) {
  return cols + (size_t)col * BATCH * 16 + (size_t)row * width(ps, col);
}

#define CELL(cols, col, row) cell_of(ps, cols, col, row)

/* Converts and writes field `f` of `row`; 0 when a present value does not convert (line to reader). */
static int write_field(const parser_t *ps, int f, int row, slice_t raw, int present, uint8_t *cols,
                       uint8_t *validity) {
  int conv = ps->spec[f * 3 + 1];
  uint8_t *cell = CELL(cols, f, row);
  if (!present) {
    set_valid(validity, f, row, 0);
    memset(cell, 0, width(ps, f));
    return 1;
  }
  int64_t v = 0;
  switch (conv) {
  case CONV_STRING:
    put_string(cell, raw);
    break;
  case CONV_INT: {
    if (parse_integer(raw, 19, &v) != 1 || v < INT32_MIN || v > INT32_MAX) return 0;
    int32_t i32 = (int32_t)v;
    memcpy(cell, &i32, 4);
    break;
  }
  case CONV_LONG:
    if (parse_integer(raw, 16, &v) != 1 || v > 9007199254740991LL || v < -9007199254740991LL) return 0;
    memcpy(cell, &v, 8);
    break;
  case CONV_REAL: {
    if (!real_shape(raw)) return 0;
    double d = to_double(raw);
    memcpy(cell, &d, 8);
    break;
  }
  case CONV_TIME:
    if (!parse_epoch(raw, &v)) return 0;
    memcpy(cell, &v, 8);
    break;
  }
  set_valid(validity, f, row, 1);
  return 1;
}

typedef struct {
  const uint8_t *rest; /* the extension after leading spaces */
  size_t rest_n;
  size_t eq[MAX_PAIRS]; /* offsets of '=' in rest */
  int neq;
} extension_t;

/* The piece i of `' ' || rest` split on '=' (0-based), as offsets into rest (piece 0 starts at -1). */
static slice_t piece(const extension_t *x, int i) {
  size_t s = i == 0 ? 0 : x->eq[i - 1] + 1;
  size_t e = i == x->neq ? x->rest_n : x->eq[i];
  return (slice_t){x->rest + s, e - s};
}

/* Keys are short: a byte loop beats a call to memcmp. */
static inline int same_bytes(const uint8_t *a, const char *b, int n) {
  for (int k = 0; k < n; k++)
    if (a[k] != (uint8_t)b[k]) return 0;
  return 1;
}

static int ends_with_key(slice_t p, const char *key, int keylen, int first) {
  if (first) return (int)p.n == keylen && same_bytes(p.p, key, keylen); /* piece 0 = ' ' key */
  if ((int)p.n < keylen + 1) return 0;
  return p.p[p.n - keylen - 1] == ' ' && same_bytes(p.p + p.n - keylen, key, keylen);
}

static int match_template(const parser_t *ps, const extension_t *x) {
  for (int t = 0; t < ps->ntemplates; t++) {
    const template_t *tp = &ps->templates[t];
    if (tp->nkeys == 0) {
      if (x->neq == 0 && x->rest_n == 0) return t;
      continue;
    }
    if (x->neq != tp->nkeys) continue;
    int ok = 1;
    for (int k = 0; k < tp->nkeys && ok; k++) ok = ends_with_key(piece(x, k), tp->keys[k], tp->keylen[k], k == 0);
    if (ok) return t;
  }
  return -1;
}

/* Value k of the matched template: piece k+1 less the next key and its space, trimmed. */
static slice_t template_value(const template_t *tp, const extension_t *x, int k) {
  slice_t p = piece(x, k + 1);
  if (k + 1 < tp->nkeys) p.n -= tp->keylen[k + 1] + 1;
  return trim_spaces(p);
}

/* Parses one non-blank line into row `row`; 1 data, 0 reader, -1 invalid UTF-8. */
static int parse_line(const parser_t *ps, const uint8_t *p, size_t n, int row, uint8_t *cols, uint8_t *validity,
                      uint8_t *arena, size_t *arena_off) {
  int wide = 0;
  marks_t m;
  scan_line(p, n, &m);
  if (m.odd) return utf8_check(p, n, &wide) ? 0 : -1; /* the whole line is checked */
  if (m.nonascii) {
    if (!utf8_check(p, n, &wide)) return -1;
    if (wide) return 0;
  }
  if (m.np < 7 || m.overflow) return 0;
  const size_t *pipes = m.pipes;
  prefix_t h;
  if (!parse_prefix(p, pipes[0], &h)) return 0;
  if (h.has_header && (contains(h.host, "CEF:", 4) || (h.host.n == 4 && is_digit(h.host.p[0]) &&
                                                         is_digit(h.host.p[1]) && is_digit(h.host.p[2]) &&
                                                         is_digit(h.host.p[3]))))
    return 0;
  extension_t x;
  x.rest = p + pipes[6] + 1;
  x.rest_n = n - pipes[6] - 1;
  while (x.rest_n > 0 && x.rest[0] == ' ') x.rest++, x.rest_n--;
  size_t rest_at = (size_t)(x.rest - p);
  x.neq = m.neq;
  for (int k = 0; k < m.neq; k++) x.eq[k] = m.eq[k] - rest_at;
  int t = match_template(ps, &x);
  if (t < 0) return 0;
  const template_t *tp = &ps->templates[t];
  size_t arena_start = *arena_off;
  for (int f = 0; f < ps->nfields; f++) {
    int src = ps->spec[f * 3];
    slice_t raw = {NULL, 0};
    int present = 0;
    if (src == SRC_HEADER) {
      int i = ps->spec[f * 3 + 2]; /* 1..6: between pipes i-1 and i */
      raw = (slice_t){p + pipes[i - 1] + 1, pipes[i] - pipes[i - 1] - 1};
      present = raw.n > 0;
    } else if (src == SRC_HOST) {
      raw = h.host;
      present = h.has_header && raw.n > 0;
    } else if (src == SRC_TIME) {
      uint8_t *cell = CELL(cols, f, row);
      int64_t micros;
      if (!h.has_header) {
        set_valid(validity, f, row, 0);
        memset(cell, 0, 8);
        continue;
      }
      if (!syslog_time(&h, ps->year, &micros)) return 0;
      memcpy(cell, &micros, 8);
      set_valid(validity, f, row, 1);
      continue;
    } else if (src == SRC_KEY) {
      int k = ps->keyIndex[f * ps->ntemplates + t];
      if (k >= 0) {
        raw = template_value(tp, &x, k);
        present = raw.n > 0;
      }
    } else if (src == SRC_EXTRAS) {
      size_t o = *arena_off;
      for (int k = 0; k < tp->nkeys; k++) {
        if (!tp->extras[k]) continue;
        slice_t v = template_value(tp, &x, k);
        if (o > *arena_off) arena[o++] = ';';
        memcpy(arena + o, tp->keys[k], tp->keylen[k]);
        o += tp->keylen[k];
        arena[o++] = '=';
        memcpy(arena + o, v.p, v.n);
        o += v.n;
      }
      raw = (slice_t){arena + *arena_off, o - *arena_off};
      present = raw.n > 0;
      *arena_off = o;
    }
    if (!write_field(ps, f, row, raw, present, cols, validity)) {
      *arena_off = arena_start;
      return 0;
    }
  }
  return 1;
}

/* ---- N-API ---- */

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, "EINVAL", message);
  return NULL;
}

static void free_parser(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  parser_t *ps = data;
  for (int t = 0; t < ps->ntemplates; t++) {
    for (int k = 0; k < ps->templates[t].nkeys; k++) free((void *)ps->templates[t].keys[k]);
    free(ps->templates[t].keys);
    free(ps->templates[t].keylen);
  }
  free(ps->templates);
  free(ps->spec);
  free(ps->keyIndex);
  free(ps->extras);
  free(ps);
}

static uint8_t *buffer_data(napi_env env, napi_value v, size_t *len) {
  void *data = NULL;
  napi_typedarray_type type;
  napi_value ab;
  size_t off, n;
  if (napi_get_typedarray_info(env, v, &type, &n, &data, &ab, &off) != napi_ok) return NULL;
  *len = n * (type == napi_float64_array ? 8 : type == napi_int32_array ? 4 : 1);
  static uint8_t none; /* an empty array may have no data pointer (a plan without templates) */
  return data ? data : &none;
}

/* A copy of a typed array's bytes (the parser outlives the caller's arrays). */
static void *typed_copy(napi_env env, napi_value v, size_t *bytes) {
  const uint8_t *data = buffer_data(env, v, bytes);
  if (!data) return NULL;
  void *copy = malloc(*bytes > 0 ? *bytes : 1);
  memcpy(copy, data, *bytes);
  return copy;
}

static napi_value create_parser(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5)
    return fail(env, "parser(templates, spec, keyIndex, extras, year)");
  parser_t *ps = calloc(1, sizeof *ps);
  uint32_t nt;
  napi_get_array_length(env, argv[0], &nt);
  ps->ntemplates = (int)nt;
  ps->templates = calloc(nt > 0 ? nt : 1, sizeof(template_t));
  size_t bytes = 0;
  ps->spec = typed_copy(env, argv[1], &bytes);
  ps->nfields = (int)(bytes / 12);
  ps->keyIndex = typed_copy(env, argv[2], &bytes);
  ps->extras = typed_copy(env, argv[3], &bytes);
  int32_t year;
  napi_get_value_int32(env, argv[4], &year);
  ps->year = year;
  if (!ps->spec || !ps->keyIndex || !ps->extras) {
    free_parser(env, ps, NULL);
    return fail(env, "parser: spec, keyIndex and extras must be typed arrays");
  }
  size_t extra_off = 0;
  for (uint32_t t = 0; t < nt; t++) {
    napi_value keys;
    uint32_t nk;
    napi_get_element(env, argv[0], t, &keys);
    napi_get_array_length(env, keys, &nk);
    template_t *tp = &ps->templates[t];
    tp->nkeys = (int)nk;
    tp->keys = calloc(nk > 0 ? nk : 1, sizeof(char *));
    tp->keylen = calloc(nk > 0 ? nk : 1, sizeof(int));
    tp->extras = ps->extras + extra_off;
    extra_off += nk;
    for (uint32_t k = 0; k < nk; k++) {
      napi_value key;
      size_t len;
      napi_get_element(env, keys, k, &key);
      napi_get_value_string_utf8(env, key, NULL, 0, &len);
      char *s = malloc(len + 1);
      napi_get_value_string_utf8(env, key, s, len + 1, &len);
      tp->keys[k] = s;
      tp->keylen[k] = (int)len;
    }
  }
  napi_value external;
  napi_create_external(env, ps, free_parser, NULL, &external);
  return external;
}

/* One call's work: the lines of buf[start, end) cut into cols/validity/arena/readers, counts into state
 * (the layout in the header comment). Runs on a libuv worker thread: it touches no JavaScript value. */
typedef struct {
  const parser_t *ps;
  const uint8_t *buf;
  size_t start, end;
  uint8_t *cols, *validity, *arena;
  size_t arena_len;
  double *readers, *state;
} range_t;

static void parse_range(const range_t *r) {
  const parser_t *ps = r->ps;
  const uint8_t *buf = r->buf;
  uint8_t *cols = r->cols, *validity = r->validity;
  double *readers = r->readers, *state = r->state;
  int64_t line = (int64_t)state[0];
  size_t max_line = (size_t)state[1];
  size_t arena_off = (size_t)state[5];
  int rows = 0, blanks = 0, nreaders = 0, status = 0;
  size_t pos = r->start;
  while (pos < r->end && rows < BATCH && nreaders < MAX_READERS) {
    const uint8_t *nl = memchr(buf + pos, '\n', r->end - pos);
    size_t le = nl ? (size_t)(nl - buf) : r->end;
    size_t next = nl ? le + 1 : le;
    size_t n = le - pos;
    if (n > 0 && buf[pos + n - 1] == '\r') n--;
    if (n > max_line) {
      status = 2;
      break;
    }
    /* the extras of a line take at most its length */
    if (arena_off + n + 1 > r->arena_len) break;
    const uint8_t *p = buf + pos;
    int blank = n == 0;
    if (!blank && p[0] == ' ') {
      blank = 1;
      for (size_t i = 0; i < n && blank; i++) blank = p[i] == ' ';
    }
    if (blank) {
      blanks++;
    } else {
      int k = parse_line(ps, p, n, rows, cols, validity, r->arena, &arena_off);
      if (k < 0) {
        status = 1;
        break;
      }
      if (k == 1) {
        int64_t *line_cell = (int64_t *)CELL(cols, ps->nfields, rows);
        *line_cell = line;
        set_valid(validity, ps->nfields, rows, 1);
        rows++;
      } else {
        readers[nreaders * 3] = (double)line;
        readers[nreaders * 3 + 1] = (double)pos;
        readers[nreaders * 3 + 2] = (double)(pos + n);
        nreaders++;
      }
    }
    line++;
    pos = next;
  }
  state[0] = (double)line;
  state[2] = rows;
  state[3] = blanks;
  state[4] = nreaders;
  state[5] = (double)arena_off;
  state[6] = (double)pos;
  state[7] = status;
}

/* A parse in flight: the range, the promise, and references that keep the caller's arrays alive. */
#define PARSE_ARGS 9
#define STATE_DONE 8
#define STATE_LEN 9
typedef struct {
  range_t range;
  napi_async_work work;
  napi_deferred deferred;
  napi_ref refs[PARSE_ARGS];
} job_t;

/* The end of every cut is announced here, for wait() (one lock for all jobs: a cut takes ~1 ms). */
static uv_mutex_t settled_lock;
static uv_cond_t settled;

static void job_execute(napi_env env, void *data) {
  (void)env;
  range_t *r = &((job_t *)data)->range;
  parse_range(r);
  uv_mutex_lock(&settled_lock);
  r->state[STATE_DONE] = 1;
  uv_cond_broadcast(&settled);
  uv_mutex_unlock(&settled_lock);
}

/* wait(state): blocks this thread until the cut that writes `state` is done (state[8] = 1), for a caller
 * that cannot await its promise: a table function's callback, which DuckDB's thread waits on. */
static napi_value wait_cut(napi_env env, napi_callback_info info) {
  size_t argc = 1, state_len = 0;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return fail(env, "wait(state)");
  double *state = (double *)buffer_data(env, argv[0], &state_len);
  if (!state || state_len < STATE_LEN * 8) return fail(env, "wait: state too small");
  uv_mutex_lock(&settled_lock);
  while (state[STATE_DONE] != 1) uv_cond_wait(&settled, &settled_lock);
  uv_mutex_unlock(&settled_lock);
  return NULL;
}

static void job_complete(napi_env env, napi_status status, void *data) {
  job_t *job = data;
  for (int i = 0; i < PARSE_ARGS; i++)
    if (job->refs[i]) napi_delete_reference(env, job->refs[i]);
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  if (status == napi_ok) {
    napi_resolve_deferred(env, job->deferred, undefined);
  } else {
    napi_value message, error;
    napi_create_string_utf8(env, "parse: cancelled", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &error);
    napi_reject_deferred(env, job->deferred, error);
  }
  napi_delete_async_work(env, job->work);
  free(job);
}

/* parse(...) -> Promise<void>: the cut runs on a libuv worker thread, so the caller's thread appends
 * the previous batch meanwhile. The caller must not touch the arrays until the promise settles. */
static napi_value parse(napi_env env, napi_callback_info info) {
  size_t argc = PARSE_ARGS;
  napi_value argv[PARSE_ARGS];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < PARSE_ARGS)
    return fail(env, "parse(parser, buf, start, end, cols, validity, arena, readers, state)");
  parser_t *ps;
  if (napi_get_value_external(env, argv[0], (void **)&ps) != napi_ok) return fail(env, "parse: not a parser");
  size_t buf_len = 0, cols_len = 0, val_len = 0, arena_len = 0, readers_len = 0, state_len = 0;
  const uint8_t *buf = buffer_data(env, argv[1], &buf_len);
  int64_t start, end;
  napi_get_value_int64(env, argv[2], &start);
  napi_get_value_int64(env, argv[3], &end);
  uint8_t *cols = buffer_data(env, argv[4], &cols_len);
  uint8_t *validity = buffer_data(env, argv[5], &val_len);
  uint8_t *arena = buffer_data(env, argv[6], &arena_len);
  double *readers = (double *)buffer_data(env, argv[7], &readers_len);
  double *state = (double *)buffer_data(env, argv[8], &state_len);
  size_t ncols = (size_t)ps->nfields + 1; /* + _line */
  if (!buf || !cols || !validity || !arena || !readers || !state || state_len < STATE_LEN * 8 || start < 0 ||
      (size_t)end > buf_len || start > end || cols_len < ncols * BATCH * 16 || val_len < ncols * BATCH / 8 ||
      readers_len < MAX_READERS * 3 * 8)
    return fail(env, "parse: buffers too small or range outside the buffer");
  job_t *job = calloc(1, sizeof *job);
  job->range = (range_t){ps, buf, (size_t)start, (size_t)end, cols, validity, arena, arena_len, readers, state};
  for (int i = 0; i < PARSE_ARGS; i++) {
    napi_valuetype type;
    napi_typeof(env, argv[i], &type);
    if (type == napi_object || type == napi_external) napi_create_reference(env, argv[i], 1, &job->refs[i]);
  }
  napi_value promise, name;
  state[STATE_DONE] = 0;
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "telltale-cef parse", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, job_execute, job_complete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

/* lines(buf, start, end) -> the number of '\n' in buf[start, end) (where a second stream's lines start). */
static napi_value count_lines(napi_env env, napi_callback_info info) {
  size_t argc = 3, len = 0;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3)
    return fail(env, "lines(buf, start, end)");
  const uint8_t *buf = buffer_data(env, argv[0], &len);
  int64_t start, end;
  napi_get_value_int64(env, argv[1], &start);
  napi_get_value_int64(env, argv[2], &end);
  if (!buf || start < 0 || start > end || (size_t)end > len) return fail(env, "lines: range outside the buffer");
  double n = 0;
  for (const uint8_t *p = buf + start, *e = buf + end; (p = memchr(p, '\n', (size_t)(e - p))) != NULL; p++) n++;
  napi_value out;
  napi_create_double(env, n, &out);
  return out;
}

/* The interface's version: store/cef-native.ts takes the addon only when it matches (a stale build that
 * cut synchronously gave no rows and no error). */
#define ABI_VERSION 3

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, version;
  napi_create_int32(env, ABI_VERSION, &version);
  napi_set_named_property(env, exports, "version", version);
  if (!c_numeric) {
    c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    uv_mutex_init(&settled_lock);
    uv_cond_init(&settled);
  }
  napi_create_function(env, "parser", NAPI_AUTO_LENGTH, create_parser, NULL, &fn);
  napi_set_named_property(env, exports, "parser", fn);
  napi_create_function(env, "parse", NAPI_AUTO_LENGTH, parse, NULL, &fn);
  napi_set_named_property(env, exports, "parse", fn);
  napi_create_function(env, "wait", NAPI_AUTO_LENGTH, wait_cut, NULL, &fn);
  napi_set_named_property(env, exports, "wait", fn);
  napi_create_function(env, "lines", NAPI_AUTO_LENGTH, count_lines, NULL, &fn);
  napi_set_named_property(env, exports, "lines", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

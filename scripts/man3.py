#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Section-3 manual pages for libcaec, generated from the public headers.

    man3.py --include DIR --outdir DIR --version V [--depfile FILE]

Reads every header under DIR/caec (the abi/ ones too) and writes, into
--outdir (emptied first):

  <function>.3   one page per CAEC_EXPORT function: its prototype, its
                 doc comment (@brief, @param, @returns, @since and the
                 Context/Ownership/Concurrency paragraphs), the structs,
                 enums and callback types its prototype uses (verbatim,
                 with their field comments) and the CAEC_* constants its
                 text names;
  libcaec.3      the overview: each header's own comment, its functions,
                 and the error codes.

It runs at build time (docs/man/meson.build), so a function added to a
header has its page without anyone listing it.  A CAEC_EXPORT function
without a doc comment stops the build: a page saying nothing would hide
it.  Only the standard library is used.
"""
import argparse
import os
import re
import sys

MANUAL = "libcaec manual"


# --- reading the headers ---------------------------------------------------

def comment_lines(body):
    """The text of a /** ... */ comment (without the markers), per line,
    with the leading ' * ' removed and deeper indentation kept."""
    out = []
    for line in body.split("\n"):
        s = line.strip()
        if s.startswith("*"):
            s = line.lstrip()[1:]
            if s.startswith(" "):
                s = s[1:]
        else:
            s = line.strip()
        out.append(s.rstrip())
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return out


class Doc:
    """A parsed doc comment: tags and the free paragraphs after them."""

    def __init__(self, lines):
        self.brief = ""
        self.params = []      # (direction, name, text)
        self.returns = ""
        self.since = ""
        self.other = []       # (tag, text) for tags we do not know
        self.file = ""
        self.paragraphs = []  # list of lists of lines
        tag, text = None, []
        body = []

        def close():
            nonlocal tag, text
            if tag is not None:
                self._tag(tag, " ".join(t.strip() for t in text).strip())
            tag, text = None, []

        for line in lines:
            m = re.match(r"@(\w+)(\[\w+(?:,\s*\w+)?\])?\s*(.*)", line.strip())
            if m:
                close()
                tag = m.group(1) + (m.group(2) or "")
                text = [m.group(3)]
            elif tag is not None and line.strip():
                text.append(line)
            elif tag is not None:
                close()
            else:
                body.append(line)
        close()
        self.paragraphs = split_paragraphs(body)
        if not self.brief and self.paragraphs:
            # No @brief: the first sentence of the first paragraph.
            first = " ".join(l.strip() for l in self.paragraphs[0])
            m = re.match(r"(.+?\.)(\s+|$)(.*)", first)
            if m:
                self.brief = m.group(1)
                rest = m.group(3).strip()
                self.paragraphs[0] = [rest] if rest else []
            else:
                self.brief = first
                self.paragraphs[0] = []
            self.paragraphs = [p for p in self.paragraphs if p]

    def _tag(self, tag, text):
        name = tag.split("[")[0]
        if name == "brief":
            self.brief = text
        elif name == "param":
            d = re.search(r"\[(.*)\]", tag)
            m = re.match(r"(\w+)\s*(.*)", text)
            if m:
                self.params.append((d.group(1) if d else "",
                                    m.group(1), m.group(2)))
        elif name in ("returns", "return", "retval"):
            self.returns = (self.returns + " " + text).strip()
        elif name == "since":
            self.since = text
        elif name == "file":
            self.file = text
        else:
            self.other.append((name, text))


def body_started(body):
    return any(l.strip() for l in body)


def split_paragraphs(lines):
    paras, cur = [], []
    for l in lines:
        if l.strip():
            cur.append(l)
        elif cur:
            paras.append(cur)
            cur = []
    if cur:
        paras.append(cur)
    return paras


def match_brace(text, i):
    """Index just past the '}' matching the '{' at text[i]."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced braces")


class Header:
    def __init__(self, path, name):
        self.name = name          # "caec/caec.h"
        self.path = path
        text = open(path, encoding="utf-8").read()
        self.text = text
        self.file_doc = None
        self.functions = []       # (name, prototype, Doc, nodiscard)
        self.types = {}           # "struct caec_config" -> verbatim text
        self.macros = {}          # "CAEC_PERM_RO" -> verbatim text
        self._parse()

    def _doc_before(self, start):
        """The /** */ comment ending right before `start` (only blank
        space between), as (comment start, Doc), or (start, None)."""
        before = self.text[:start]
        stripped = before.rstrip()
        if not stripped.endswith("*/"):
            return start, None
        open_at = stripped.rfind("/**")
        if open_at < 0 or "*/" in stripped[open_at:-2]:
            return start, None
        return open_at, Doc(comment_lines(stripped[open_at + 3:-2]))

    def _parse(self):
        t = self.text
        m = re.search(r"/\*\*(.*?)\*/", t, re.S)
        if m and "@file" in m.group(1):
            self.file_doc = Doc(comment_lines(m.group(1)))
        # Structs and enums with a body, verbatim with their comments.
        for m in re.finditer(r"^(?:typedef\s+)?(struct|enum)\s+(\w+)\s*\{",
                             t, re.M):
            end = match_brace(t, t.index("{", m.start()))
            semi = t.index(";", end)
            start, _ = self._doc_before(m.start())
            self.types[m.group(1) + " " + m.group(2)] = t[start:semi + 1]
        # Callback types: typedef ... (*name)(...);
        for m in re.finditer(r"^typedef[^;{]*\(\s*\*\s*(\w+)\s*\)[^;]*;",
                             t, re.M):
            start, _ = self._doc_before(m.start())
            self.types[m.group(1)] = t[start:m.end()]
        # Object-like macros with a doc comment.
        for m in re.finditer(r"^#define\s+(CAEC_\w+)(?!\()[^\n]*", t, re.M):
            start, doc = self._doc_before(m.start())
            if doc is not None:
                self.macros[m.group(1)] = t[start:m.end()]
        # Exported functions.
        for m in re.finditer(r"^CAEC_EXPORT\b[^;]*;", t, re.M):
            decl = m.group(0)
            fm = re.search(r"\b(caec_\w+)\s*\(", decl)
            if not fm:
                continue  # an exported variable: none today
            name = fm.group(1)
            _, doc = self._doc_before(m.start())
            if doc is None:
                sys.exit("man3.py: %s in %s has no doc comment: document it "
                         "(a manual page is generated from it)"
                         % (name, self.name))
            nodiscard = "CAEC_NODISCARD" in decl
            proto = re.sub(r"\bCAEC_(EXPORT|NODISCARD)\b", "", decl)
            proto = re.sub(r"\s+", " ", proto).strip()
            proto = proto.replace("( ", "(").replace(" )", ")")
            self.functions.append((name, proto, doc, nodiscard))


# --- writing roff ----------------------------------------------------------

def esc(s):
    """Escape plain text for roff (no markup)."""
    return s.replace("\\", "\\e")


def line_safe(s):
    """A roff text line must not start with a control character."""
    return "\\&" + s if s[:1] in (".", "'") else s


def inline(s, known):
    """Prose with markup: `code` bold, function names bold."""
    s = esc(s)
    s = re.sub(r"`([^`]+)`", lambda m: "\\fB" + m.group(1) + "\\fR", s)
    # *emphasis*, but not the * of CAEC_GRANT_F_* or of a pointer.
    s = re.sub(r"(^|(?<=[\s(]))\*(\w[^*\n]*?\w|\w)\*(?=[\s.,;:)]|$)",
               lambda m: "\\fI" + m.group(2) + "\\fR", s)
    s = re.sub(r"\b(caec_\w+)\(\)",
               lambda m: "\\fB" + m.group(1) + "\\fR()", s)
    # The headers' labelled paragraphs ("Context: never blocks.").
    s = re.sub(r"(^|\.  )(Context|Ownership|Concurrency|Ordering|Space)"
               r"((?:, \w+)*):",
               lambda m: m.group(1) + "\\fB" + m.group(2) + m.group(3) +
               ":\\fR", s)
    return s


def split_top(s, sep=";"):
    """Split at `sep` outside parentheses."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        depth += ch == "("
        depth -= ch == ")"
        if ch == sep and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def returns_list(text, known, out):
    """@returns "CAEC_OK; CAEC_E_INVAL (why); ..." as a list, one value
    per item, the value's name in bold."""
    items = split_top(text)
    if len(items) < 2:
        out += [".PP", line_safe(inline(text, known))]
        return
    out.append(".PD 0")
    for it in items:
        it = inline(it, known)
        it = re.sub(r"^(CAEC_[A-Z_]+)", r"\\fB\1\\fR", it)
        out += [".IP \\(bu 2", line_safe(it)]
    out.append(".PD")


def para(lines, known, out):
    """One paragraph: filled prose, or kept as is (tables, lists, code)."""
    if any(l.startswith((" ", "|", "\t")) for l in lines) or \
            any(l.lstrip().startswith("|") for l in lines):
        out.append(".PP")
        out.append(".RS 2")
        out.append(".nf")
        for l in lines:
            out.append(line_safe(esc(l)))
        out.append(".fi")
        out.append(".RE")
        return
    out.append(".PP")
    out.append(line_safe(inline(" ".join(l.strip() for l in lines), known)))


def verbatim(text, out):
    out.append(".PP")
    out.append(".RS 2")
    out.append(".nf")
    out.append(".ft CR")
    for l in text.expandtabs(8).split("\n"):
        out.append(line_safe(esc(l)))
    out.append(".ft")
    out.append(".fi")
    out.append(".RE")


def wrap_proto(proto, width=72):
    """Break a long prototype after commas, aligned under its '('."""
    if len(proto) <= width:
        return [proto]
    open_at = proto.index("(")
    head, args = proto[:open_at + 1], proto[open_at + 1:]
    parts = [p.strip() for p in args.split(",")]
    lines, cur = [], head
    pad = " " * len(head)
    for i, p in enumerate(parts):
        piece = p + ("," if i < len(parts) - 1 else "")
        if cur.strip() and cur != head and len(cur) + 1 + len(piece) > width:
            lines.append(cur.rstrip())
            cur = pad + piece
        else:
            cur = cur + ("" if cur == head else " ") + piece
    lines.append(cur)
    return lines


def th(name, section, version):
    return ['.\\" Generated by scripts/man3.py from the doc comments of the',
            '.\\" public headers: edit the header, not this file.',
            '.TH %s %s "" "caec %s" "%s"' % (name, section, version, MANUAL),
            # No hyphenation (it would split identifiers), ragged right.
            ".nh", ".ad l"]


def referenced_types(proto_and_types, types):
    """Types named in the text, then those their definitions name."""
    found, queue = [], [proto_and_types]
    while queue:
        text = queue.pop(0)
        for key in types:
            if key in found:
                continue
            pat = r"\b" + re.escape(key) + r"\b"
            if re.search(pat, text):
                found.append(key)
                queue.append(types[key])
    return found


def referenced_macros(text, macros):
    names = []
    for tok in re.findall(r"\bCAEC_[A-Z0-9_]+\*?", text):
        if tok.startswith(("CAEC_E_", "CAEC_OK", "CAEC_EXPORT",
                           "CAEC_NODISCARD")):
            continue
        if tok.endswith("*") or tok.endswith("_"):
            prefix = tok.rstrip("*")
            hits = sorted(k for k in macros if k.startswith(prefix))
        else:
            hits = [tok] if tok in macros else []
        for h in hits:
            if h not in names:
                names.append(h)
    return names


def function_page(h, fn, all_types, all_macros, functions, version):
    name, proto, doc, nodiscard = fn
    out = th(name, 3, version)
    out += [".SH NAME", "%s \\- %s" % (name, esc(doc.brief.rstrip(".")))]
    out += [".SH LIBRARY", "caec (\\fIlibcaec\\fR, \\fI\\-lcaec\\fR; "
            "\\fBpkg\\-config \\-\\-cflags \\-\\-libs caec\\fR)"]
    out += [".SH SYNOPSIS", ".nf", ".B #include <%s>" % h.name, ".PP"]
    for l in wrap_proto(proto):
        out.append(line_safe(esc(l)))
    out.append(".fi")

    out += [".SH DESCRIPTION", ".PP", line_safe(inline(doc.brief, functions))]
    for tag, text in doc.other:
        out += [".PP", "\\fB%s:\\fR %s" % (tag.capitalize(),
                                           inline(text, functions))]
    if doc.params:
        out.append(".SS Arguments")
        for d, pname, text in doc.params:
            out += [".TP", "\\fI%s\\fR%s" % (pname, " [%s]" % d if d else ""),
                    line_safe(inline(text, functions))]
    if doc.paragraphs:
        if doc.params:
            out.append(".SS Behaviour")
        for p in doc.paragraphs:
            para(p, functions, out)

    doc_text = " ".join([proto, doc.brief, doc.returns] +
                        [t for _, _, t in doc.params] +
                        [" ".join(p) for p in doc.paragraphs])
    tnames = referenced_types(proto + " " + doc_text, all_types)
    if tnames:
        out.append(".SS Types")
        for k in tnames:
            verbatim(all_types[k], out)
    type_text = " ".join(all_types[k] for k in tnames)
    mnames = referenced_macros(doc_text + " " + type_text, all_macros)
    if mnames:
        out.append(".SS Constants")
        for k in mnames:
            verbatim(all_macros[k], out)

    out += [".SH RETURN VALUE"]
    if doc.returns:
        returns_list(doc.returns, functions, out)
    elif proto.startswith("void "):
        out += [".PP", "None."]
    else:
        out += [".PP", "See DESCRIPTION."]
    if nodiscard:
        out += [".PP", "The result must be used: the function is declared "
                "\\fBCAEC_NODISCARD\\fR and the compiler warns when a call "
                "ignores it."]
    if re.search(r"CAEC_E_", doc.returns):
        out += [".PP", "Errors are negative \\fBenum caec_err\\fR values; "
                "\\fBcaec_strerror\\fR(3) describes one and "
                "\\fBcaec_errname\\fR(3) names it; \\fBlibcaec\\fR(3) "
                "lists them all."]
    if doc.since:
        out += [".SH VERSIONS", ".PP",
                "Since caec %s (symbol version CAEC_%s)." %
                (esc(doc.since), esc(doc.since))]

    seealso = []
    for ref in re.findall(r"\b(caec_\w+)\(\)", doc_text):
        if ref != name and ref in functions and ref not in seealso:
            seealso.append(ref)
    refs = ["\\fB%s\\fR(3)" % r for r in sorted(seealso)]
    refs.append("\\fBlibcaec\\fR(3)")
    out += [".SH SEE ALSO", ",\n".join(refs)]
    return "\n".join(out) + "\n"


def overview_page(headers, functions, all_types, version):
    main = next(h for h in headers if h.name == "caec/caec.h")
    out = th("libcaec", 3, version)
    out += [".SH NAME", "libcaec \\- %s" %
            esc(main.file_doc.brief.split(": ", 1)[-1].rstrip("."))]
    out += [".SH LIBRARY", "caec (\\fIlibcaec\\fR, \\fI\\-lcaec\\fR)"]
    out += [".SH SYNOPSIS", ".nf"]
    for h in headers:
        if h.functions:
            out.append(".B #include <%s>" % h.name)
    out += [".PP", "cc app.c $(pkg\\-config \\-\\-cflags \\-\\-libs caec)",
            "cc \\-static app.c $(pkg\\-config \\-\\-static \\-\\-cflags "
            "\\-\\-libs caec)", ".fi"]
    out += [".SH DESCRIPTION"]
    for p in main.file_doc.paragraphs:
        para(p, functions, out)
    out += [".PP", "Every call that can fail returns zero (or a non-negative "
            "count) or a negative \\fBenum caec_err\\fR value (see ERRORS). "
            "Each function has its own page, listed below by header."]
    for h in headers:
        if not h.functions or h.file_doc is None:
            continue
        out.append(".SS <%s>" % h.name)
        if h is not main:
            out += [".PP", line_safe(inline(h.file_doc.brief, functions))]
            for p in h.file_doc.paragraphs:
                para(p, functions, out)
        for name, _, doc, _ in h.functions:
            out += [".TP", "\\fB%s\\fR(3)" % name,
                    line_safe(inline(doc.brief, functions))]
    if "enum caec_err" in all_types:
        out += [".SH ERRORS"]
        items = re.findall(r"^\s*(CAEC_\w+)\s*=\s*(-?\d+),?\s*"
                           r"/\*\*<\s*(.*?)\s*\*/",
                           all_types["enum caec_err"], re.M)
        for n, v, text in items:
            out += [".TP", "\\fB%s\\fR (%s)" % (n, v.replace("-", "\\-")),
                    line_safe(inline(text, functions))]
    out += [".SH SEE ALSO",
            "\\fBcaec\\-simd\\fR(8), \\fBcaec\\-token\\fR(1), "
            "\\fBpkg\\-config\\fR(1); docs/install.md and docs/first-app.md "
            "in the caec sources"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--include", required=True,
                    help="the directory that holds caec/")
    ap.add_argument("--outdir", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--depfile")
    a = ap.parse_args()

    root = os.path.join(a.include, "caec")
    paths, dirs = [], []
    for d, subdirs, files in os.walk(root):
        subdirs.sort()
        dirs.append(d)
        paths += [os.path.join(d, f) for f in sorted(files) if f.endswith(".h")]
    # caec.h first: the overview follows the order of the headers.
    order = ["caec/caec.h", "caec/error.h", "caec/attest.h",
             "caec/channel.h", "caec/ring.h", "caec/doorbell.h"]
    headers = [Header(p, os.path.relpath(p, a.include)) for p in paths]
    headers.sort(key=lambda h: (order.index(h.name) if h.name in order
                                else len(order), h.name))

    all_types, all_macros, functions = {}, {}, {}
    for h in headers:
        all_types.update(h.types)
        all_macros.update(h.macros)
        for fn in h.functions:
            if fn[0] in functions:
                sys.exit("man3.py: %s is declared twice" % fn[0])
            functions[fn[0]] = h

    os.makedirs(a.outdir, exist_ok=True)
    for f in os.listdir(a.outdir):  # no page of a removed function stays
        if f.endswith(".3"):
            os.unlink(os.path.join(a.outdir, f))
    for h in headers:
        for fn in h.functions:
            with open(os.path.join(a.outdir, fn[0] + ".3"), "w",
                      encoding="utf-8") as f:
                f.write(function_page(h, fn, all_types, all_macros,
                                      functions, a.version))
    with open(os.path.join(a.outdir, "libcaec.3"), "w", encoding="utf-8") as f:
        f.write(overview_page(headers, functions, all_types, a.version))

    if a.depfile:
        # The directories too: adding a header changes their mtime, so a
        # new header (not yet in this list) also regenerates the pages.
        deps = paths + dirs + [os.path.abspath(__file__)]
        with open(a.depfile, "w", encoding="utf-8") as f:
            f.write("%s: %s\n" % (a.outdir.replace(" ", "\\ "),
                                  " ".join(p.replace(" ", "\\ ")
                                           for p in deps)))


if __name__ == "__main__":
    main()

// SPDX-License-Identifier: Apache-2.0
// Writes (or checks) the GPT-2 tokenizer golden file of test_llm_tokenizer:
// a few hundred varied strings and the token IDs that GPT-2's reference
// encoder -- npm's gpt-3-encoder, pinned in tools/npm/tokenizer -- gives
// them.
//
//   node tests/llm/gpt2_golden.mjs ENCODER_DIR > tests/llm/data/gpt2-tokenizer-golden.txt
//   node tests/llm/gpt2_golden.mjs ENCODER_DIR --check tests/llm/data/gpt2-tokenizer-golden.txt
//
// ENCODER_DIR is the installed package (tools/npm/tokenizer/node_modules/
// gpt-3-encoder after scripts/setup.sh).  One line per string: the UTF-8
// bytes of the string in hex, a TAB, the IDs separated by spaces.  The
// strings are fixed: hand-picked edge cases, then compositions drawn with a
// seeded generator from pools of words, letters of many scripts, digits of
// several kinds, punctuation, white space and contractions.  Characters are
// all from Unicode 15.0 or older, the version of the tables the engine is
// built with (Debian's unicode-data), so that a newer Unicode in node's ICU
// changes nothing.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const args = process.argv.slice(2);
if (args.length !== 1 && !(args.length === 3 && args[1] === "--check")) {
  console.error("usage: gpt2_golden.mjs ENCODER_DIR [--check GOLDEN]");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { encode } = require(path.resolve(args[0]));

const fixed = [
  "", " ", "  ", "a", "hello world", "Hello, world!",
  "The quick brown fox jumps over the lazy dog.",
  // contractions: GPT-2's are lowercase and ASCII-apostrophe only
  "don't won't they're I've we'll she'd it's I'm",
  "DON'T WON'T IT'S", "it\u2019s they\u2019re", "'s't're've'm'll'd", "''s", " 's", "x's",
  // contractions after non-ASCII punctuation
  "\u00a3's", "\u2014'll", "\u2013'd", "\u00bb's", "\u201c's\u201d", "costs \u00a35's worth",
  "wait\u2014'll you see", "\u00bf're?", "\u2026'm", "\u00a7'd",
  // an ASCII space before other white space
  "a \u00a0b", "x \u2009y", "1 \u00a02", "word \u3000word", " \u00a0", "a\u00a0b",
  "a \u2009\u2009b", "end \u00a0", "\u00a0 a", "a \u2028b", "a \ufeffb",
  // white space runs
  "a  b", "a   b", "a\tb", "a\t\tb", "a\nb", "a\n\nb", "a \n b", "\n\n\n", "\t\t",
  "  leading", "trailing  ", "  both  ", " \t \n ", "a\r\nb", "a\u000bb", "a\u000cb",
  "x \u0085y", "x\u001cy",
  // digits of several kinds
  "12345", "3.14159", "1,000,000", "-42", "2024-01-01", "0x1f", " 7", "a1b2c3",
  "\u0663\u0664\u0665", "\uff11\uff12\uff13", "x\u00b2+y\u00b2", "\u00bd cup", "\u2167 chapter",
  "\u0967\u0968 items", "4\u20ac", "\u20ac4", "$5.00", "100%",
  // letters of many scripts
  "caf\u00e9 na\u00efve r\u00e9sum\u00e9", "\u00dcber stra\u00dfe", "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac",
  "\u0440\u0443\u0441\u0441\u043a\u0438\u0439 \u044f\u0437\u044b\u043a", "\u65e5\u672c\u8a9e\u306e\u6587",
  "\u4e2d\u6587\u6d4b\u8bd5", "\ud55c\uad6d\uc5b4", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
  "\u05e2\u05d1\u05e8\u05d9\u05ea", "\u0939\u093f\u0928\u094d\u0926\u0940", "\u0e44\u0e17\u0e22",
  "\u1f00\u1f10", "\u01c5 title case", "\u02b0 modifier", "\u00aa\u00ba",
  // marks, symbols, emoji
  "e\u0301", "\u0915\u093e", "\ud83d\ude00 emoji", "\ud83d\udc4d\ud83c\udffd", "a\ud83c\udf89b",
  "\u2764\ufe0f", "\u00a9 2024", "\u2122", "\u221e", "<|endoftext|>", "a+b=c", "x==y",
  "!!!", "???", "...", "--", "->", "==>", "(a)", "[b]", "{c}", "\"q\"", "'q'", "`q`",
  "C:\\path\\to", "/usr/bin/env", "http://example.com/a?b=c&d=e", "user@example.com",
  "#hashtag", "@mention", "snake_case", "camelCase", "kebab-case", "tab\tseparated\tvalues",
];

// mulberry32: a small seeded generator, so the strings never change.
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pools = [
  ["the", "of", "and", "realm", "memory", "shared", "token", "Zebra", "QUICK", "x", "naïve",
   "straße", "Ωmega", "ñandú", "über", "été"],
  ["мир", "λόγος", "日本", "中文", "한국", "عربي", "עברית", "हिन्दी", "ไทย", "ქართული", "Հայ"],
  ["0", "7", "42", "1984", "3.5", "٣", "１２", "²", "½", "Ⅻ", "१"],
  ["!", "?", ".", ",", ";", ":", "-", "—", "–", "…", "£", "€", "¥", "§", "«", "»", "“", "”",
   "‘", "’", "(", ")", "[", "]", "/", "\\", "*", "&", "#", "@", "~", "^", "|", "+", "="],
  [" ", "  ", "\t", "\n", "\n\n", "\u00a0", "\u2009", "\u3000", " \u00a0", "\r\n", "\u2028"],
  ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "’s", "'x"],
  ["😀", "👍🏽", "🎉", "❤️", "é", "ñ", "a\u0301", "\u200d", "\ufeff"],
];
const strings = [...fixed];
const r = rng(20260101);
while (strings.length < 420) {
  const n = 1 + Math.floor(r() * 9);
  let s = "";
  for (let i = 0; i < n; i++) {
    const pool = pools[Math.floor(r() * pools.length)];
    s += pool[Math.floor(r() * pool.length)];
  }
  strings.push(s);
}

const lines = strings.map(s => Buffer.from(s, "utf8").toString("hex") + "\t" + encode(s).join(" "));
const out = lines.join("\n") + "\n";
if (args.length === 3) {
  const want = readFileSync(args[2], "utf8");
  if (want !== out) {
    const a = want.split("\n"), b = out.split("\n");
    const i = a.findIndex((l, k) => l !== b[k]);
    console.error(`${args[2]}: differs from the reference encoder at line ${i + 1}:\n` +
                  `  file:      ${a[i]}\n  reference: ${b[i]}`);
    process.exit(1);
  }
  console.log(`${args[2]}: ${strings.length} strings, identical to the reference encoder`);
} else {
  process.stdout.write(out);
}

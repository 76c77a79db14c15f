// SPDX-License-Identifier: Apache-2.0
// llama.cpp's side of the cross-check (test_llama_crosscheck.py): run a
// GGUF through llama.cpp -- npm's node-llama-cpp with its prebuilt
// linux-x64 binaries, pinned in tools/npm/llama -- and write what it
// computes.
//
//   node llama_logprobs.mjs NODE_LLAMA_CPP_DIR MODEL IDS POSITIONS OUT META [STRINGS]
//
//   IDS        token IDs to evaluate, space-separated; "-": only load the
//              model and write META
//   POSITIONS  indexes into IDS after which to record the next-token
//              distribution, space-separated
//   OUT        little-endian float64, for each position n_vocab values:
//              log of llama.cpp's probability of each token (ID order)
//   META       JSON: n_vocab, the context size obtained, the log lines of
//              level warn or error (model load and context creation
//              apart), and the tokens of STRINGS
//   STRINGS    optional: a golden file (hex<TAB>ids lines); each string is
//              tokenized by llama.cpp and reported in META
//
// The probabilities are node-llama-cpp's full-vocabulary softmax with the
// greedy sampler (controlledEvaluate, generateNext.probabilities).  The
// context holds n_ctx + 1 tokens: node-llama-cpp silently drops the start
// of the context when a sequence reaches the context size, which would
// change the last position's distribution.  Nothing is built or
// downloaded: build "never", CPU only.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dir, modelPath, idsArg, posArg, outPath, metaPath, stringsPath] = process.argv.slice(2);
if (!metaPath) {
  console.error("usage: llama_logprobs.mjs NODE_LLAMA_CPP_DIR MODEL IDS POSITIONS OUT META [STRINGS]");
  process.exit(2);
}
const { getLlama, LlamaLogLevel } =
  await import(pathToFileURL(path.join(dir, "dist/index.js")).href);

let phase = "init";
const logs = { init: [], load: [], context: [] };
const llama = await getLlama({
  gpu: false, build: "never", usePrebuiltBinaries: true, skipDownload: true,
  progressLogs: false, logLevel: LlamaLogLevel.warn,
  logger: (level, message) => {
    if (level === LlamaLogLevel.warn || level === LlamaLogLevel.error ||
        level === LlamaLogLevel.fatal)
      logs[phase].push(`${level}: ${message.trim()}`);
  },
});
phase = "load";
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
if (idsArg === "-") { // load only: report the log
  writeFileSync(metaPath, JSON.stringify({ warnings: logs, n_ctx_train: model.trainContextSize }));
  await model.dispose();
  await llama.dispose();
  process.exit(0);
}
const ids = idsArg.trim().split(/\s+/).map(Number);
const positions = posArg.trim().split(/\s+/).map(Number);
const nCtx = model.trainContextSize;
phase = "context";
const context = await model.createContext({ contextSize: nCtx + 1, threads: 1,
                                            batchSize: Math.max(ids.length, 1) });
const seq = context.getSequence();
phase = "eval";
logs.eval = [];
const want = new Set(positions);
const input = ids.map((t, i) => want.has(i) ? [t, { generateNext: { probabilities: true } }] : t);
const res = await seq.controlledEvaluate(input);
// the distribution covers the whole vocabulary: its size is n_vocab
const nVocab = res[positions[0]]?.next?.probabilities?.size ?? 0;
const out = new Float64Array(positions.length * nVocab).fill(-Infinity);
positions.forEach((p, k) => {
  const probs = res[p]?.next?.probabilities;
  if (!probs || probs.size !== nVocab)
    throw new Error(`position ${p}: ${probs ? probs.size : "no"} probabilities, expected ${nVocab}`);
  for (const [tok, pr] of probs)
    out[k * nVocab + tok] = Math.log(pr);
});
writeFileSync(outPath, Buffer.from(out.buffer));

const tokenized = [];
if (stringsPath) {
  for (const line of readFileSync(stringsPath, "utf8").split("\n")) {
    if (!line) continue;
    const text = Buffer.from(line.split("\t")[0], "hex").toString("utf8");
    tokenized.push(Array.from(model.tokenize(text, false)));
  }
}
writeFileSync(metaPath, JSON.stringify({
  n_vocab: nVocab, n_ctx_train: nCtx, context_size: context.contextSize,
  warnings: logs, tokenized,
}));
await context.dispose();
await model.dispose();
await llama.dispose();

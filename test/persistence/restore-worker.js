// Worker thread for workers.test.ts: receives { state, queries, probes } by postMessage,
// restores the index with Annoy.fromState from the compiled package and posts its answers back.
'use strict';
const path = require('path');
const { parentPort, threadId } = require('node:worker_threads');
const { Annoy } = require(path.resolve(__dirname, '../../dist'));

parentPort.on('message', (msg) => {
  try {
    const index = Annoy.fromState(msg.state);
    const answers = {
      nItems: index.getNItems(),
      nTrees: index.getNTrees(),
      loaded: index.info().loaded,
      onDiskPath: index.onDiskPath,
      byItem: msg.probes.map((i) => index.getNnsByItem(i, 10)),
      byVector: msg.queries.map((q) => index.getNnsByVector(q, 10)),
    };
    parentPort.postMessage({ ok: true, threadId, answers });
    index.unload();
  } catch (e) {
    parentPort.postMessage({
      ok: false,
      threadId,
      name: e && e.name,
      code: e && e.code,
      message: String(e && e.message),
    });
  }
});

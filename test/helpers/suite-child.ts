/**
 * Pieces of child-process scripts (test/helpers/tmp.ts runChild: `lib`, `input`, `fs` and `emit`
 * are in scope) that more than one test of test/persistence/ runs.
 */

/**
 * Defines `Annoy` and `index`: a small built euclidean index (f=8, 200 items, 3 trees, one
 * thread) whose compressMode is input.cm.
 */
export const CHILD_SMALL_INDEX = `
const { Annoy } = lib;
const index = new Annoy(8, 'euclidean');
for (let i = 0; i < 200; i++) index.addItem(i, Array.from({ length: 8 }, (_, k) => Math.sin(i * 8 + k)));
index.build(3, 1);
index.compressMode = input.cm;
`;

/**
 * Defines `fromStateOutcome(state)`: { code: 'returned' } when Annoy.fromState(state) returns,
 * else the code, name and message of what it threw.
 */
export const CHILD_FROM_STATE_OUTCOME = `
function fromStateOutcome(state) {
  try {
    lib.Annoy.fromState(state);
    return { code: 'returned' };
  } catch (e) {
    return { code: e && e.code, name: e && e.name, message: String(e && e.message) };
  }
}
`;

// The seed's snake_case names, one mechanism for methods and properties alike: each alias is the
// camelCase member's own property descriptor (the same function, or the same getter and setter),
// so an alias can never behave differently from its twin.
export const SNAKE_CASE_ALIASES = {
  add_item: 'addItem',
  get_nns_by_item: 'getNnsByItem',
  get_nns_by_vector: 'getNnsByVector',
  get_distance: 'getDistance',
  get_item_vector: 'getItemVector',
  get_n_items: 'getNItems',
  get_n_trees: 'getNTrees',
  on_disk_build: 'onDiskBuild',
  build_graph: 'buildGraph',
  build_graph_async: 'buildGraphAsync',
  save_graph: 'saveGraph',
  load_graph: 'loadGraph',
  drop_graph: 'dropGraph',
  set_seed: 'setSeed',
  memory_usage: 'memoryUsage',
  on_disk_path: 'onDiskPath',
  pickle_mode: 'pickleMode',
  compress_mode: 'compressMode',
} as const;

export function installSnakeCaseAliases(prototype: object, aliases: Readonly<Record<string, string>>): void {
  for (const [snake, camel] of Object.entries(aliases)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, camel);
    if (descriptor === undefined) throw new Error(`annoy-napi: no member ${camel} to alias as ${snake}`);
    Object.defineProperty(prototype, snake, { ...descriptor, enumerable: false });
  }
}

/** The seed's snake_case names: the same methods and properties as their camelCase twins. */
declare module './annoy' {
  // Merged into the class: the members installSnakeCaseAliases adds.
  interface Annoy {
    add_item: Annoy['addItem'];
    get_nns_by_item: Annoy['getNnsByItem'];
    get_nns_by_vector: Annoy['getNnsByVector'];
    get_distance: Annoy['getDistance'];
    get_item_vector: Annoy['getItemVector'];
    get_n_items: Annoy['getNItems'];
    get_n_trees: Annoy['getNTrees'];
    on_disk_build: Annoy['onDiskBuild'];
    build_graph: Annoy['buildGraph'];
    build_graph_async: Annoy['buildGraphAsync'];
    save_graph: Annoy['saveGraph'];
    load_graph: Annoy['loadGraph'];
    drop_graph: Annoy['dropGraph'];
    set_seed: Annoy['setSeed'];
    memory_usage: Annoy['memoryUsage'];
    on_disk_path: Annoy['onDiskPath'];
    pickle_mode: Annoy['pickleMode'];
    compress_mode: Annoy['compressMode'];
  }
}

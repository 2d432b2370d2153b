// face-api's un-bundled build also imports TF.js's WebGL backend; the guidance runs on the
// WebAssembly backend (SIMD where the browser has it) in a worker, where WebGL contexts are
// not dependable, so that import resolves to nothing (see vite.config.js).
export {};
